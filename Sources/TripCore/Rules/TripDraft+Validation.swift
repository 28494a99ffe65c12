import JSON

extension TripDraft {
    /// The client-settable part of a trip; server-owned and unknown fields are ignored.
    public init(validating json: JSONValue) throws(InvalidRecord) {
        var validator = FieldValidator()
        let fields = try validator.object(json)
        let name = validator.text(fields["name"], at: "/name", length: RecordLimits.tripNameLength)
        var waypoints: [Waypoint] = []
        switch fields["waypoints"] {
        case nil:
            break
        case .array(let items) where items.count <= RecordLimits.waypointsPerTrip:
            waypoints = items.enumerated().compactMap { index, item in
                Waypoint(validating: item, at: "/waypoints/\(index)", with: &validator)
            }
        case .array:
            validator.fail("/waypoints", "must hold at most \(RecordLimits.waypointsPerTrip) waypoints")
        default:
            validator.fail("/waypoints", "must be an array")
        }
        self.init(name: try validator.result(name), waypoints: waypoints)
    }
}

extension Waypoint {
    fileprivate init?(validating json: JSONValue, at pointer: String, with validator: inout FieldValidator) {
        guard case .object(let fields) = json else {
            validator.fail(pointer, "must be an object")
            return nil
        }
        let name = validator.text(fields["name"], at: pointer + "/name", length: RecordLimits.waypointNameLength)
        let latitude = validator.number(fields["latitude"], at: pointer + "/latitude", in: RecordLimits.latitude)
        let longitude = validator.number(fields["longitude"], at: pointer + "/longitude", in: RecordLimits.longitude)
        guard let name, let latitude, let longitude else { return nil }
        self.init(name: name, latitude: latitude, longitude: longitude)
    }
}
