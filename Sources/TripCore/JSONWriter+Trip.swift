import JSON

extension JSONWriter {
    /// Waypoints in their stored spelling, copied as they are.
    public mutating func waypoints(_ waypoints: Waypoints) {
        waypoints.json.withUnsafeBytes { fragment($0) }
    }

    public mutating func id(_ id: RecordID<some Any>) {
        id.objectID.withUnsafeBytes { hexString($0) }
    }

    /// A trip as its owner sees it: every field but the owner, and the route's figures, keys sorted.
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
        raw(#","updatedAt":"#)
        date(trip.updatedAt)
        raw(#","version":"#)
        integer(trip.version)
        raw(#","waypoints":"#)
        waypoints(trip.waypoints)
        raw("}")
    }
}
