import JSON

extension JSONWriter {
    /// Waypoints in their stored spelling, copied as they are.
    public mutating func waypoints(_ waypoints: Waypoints) {
        waypoints.json.withUnsafeBytes { fragment($0) }
    }

    public mutating func id(_ id: RecordID<some Any>) {
        id.objectID.withUnsafeBytes { hexString($0) }
    }

    /// A trip with the route's figures, keys sorted; with its owner's username and the reader's role when it was read
    /// for a reader (never on a shared page).
    public mutating func trip(_ trip: Trip) {
        raw("{")
        if let bbox = trip.waypoints.figures.bboxJSON {
            raw(#""bbox":"#)
            bbox.withUnsafeBytes { fragment($0) }
            raw(",")
        }
        raw(#""createdAt":"#)
        date(trip.createdAt)
        raw(#","distanceMeters":"#)
        integer(trip.waypoints.figures.distanceMeters)
        raw(#","id":"#)
        id(trip.id)
        raw(#","name":"#)
        string(trip.name)
        if let access = trip.access {
            raw(#","owner":"#)
            string(access.ownerName)
            switch access.role {
            case .owner: raw(#","role":"owner""#)
            case .editor: raw(#","role":"editor""#)
            case .viewer: raw(#","role":"viewer""#)
            }
        }
        raw(#","updatedAt":"#)
        date(trip.updatedAt)
        raw(#","version":"#)
        integer(trip.version)
        raw(#","waypoints":"#)
        waypoints(trip.waypoints)
        raw("}")
    }
}
