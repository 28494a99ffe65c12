extension JSONWriter {
    /// `[{"latitude":…,"longitude":…,"name":…},…]`: waypoints in responses and in the SQLite store.
    public mutating func waypoints(_ waypoints: [Waypoint]) {
        array(waypoints) { writer, waypoint in
            writer.raw(#"{"latitude":"#)
            writer.number(waypoint.latitude)
            writer.raw(#","longitude":"#)
            writer.number(waypoint.longitude)
            writer.raw(#","name":"#)
            writer.string(waypoint.name)
            writer.raw("}")
        }
    }
}

extension [Waypoint] {
    /// Reads a document in the shape `JSONWriter.waypoints` writes, in any key order.
    public init(jsonDocument bytes: UnsafeRawBufferPointer) throws(JSONParser.Failure) {
        guard case .array(let items) = try JSONValue(parsing: bytes) else { throw Self.notWaypoints }
        self = try items.map { (item) throws(JSONParser.Failure) in
            guard case .object(let fields) = item, fields.count == 3,
                case .string(let name)? = fields["name"],
                case .number(let latitude)? = fields["latitude"],
                case .number(let longitude)? = fields["longitude"]
            else { throw Self.notWaypoints }
            return Waypoint(name: name, latitude: latitude, longitude: longitude)
        }
    }

    private static var notWaypoints: JSONParser.Failure {
        JSONParser.Failure(reason: "not a list of waypoints", offset: 0)
    }
}
