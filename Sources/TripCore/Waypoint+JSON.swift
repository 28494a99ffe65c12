import JSON

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

    public mutating func id(_ id: RecordID<some Any>) {
        id.objectID.withUnsafeBytes { hexString($0) }
    }
}

extension [Waypoint] {
    /// Reads a document in the shape `JSONWriter.waypoints` writes, in any key order, straight into waypoints.
    public init(jsonDocument bytes: UnsafeRawBufferPointer) throws(JSONParser.Failure) {
        var parser = JSONParser(bytes: bytes)
        var waypoints: [Waypoint] = []
        try parser.elements { (parser: inout JSONParser) throws(JSONParser.Failure) in
            waypoints.append(try Waypoint(reading: &parser))
        }
        try parser.end()
        self = waypoints
    }
}

extension Waypoint {
    fileprivate init(reading parser: inout JSONParser) throws(JSONParser.Failure) {
        var name: String?
        var latitude: Double?
        var longitude: Double?
        try parser.fields { (parser: inout JSONParser, key: String) throws(JSONParser.Failure) in
            switch key {
            case "latitude" where latitude == nil: latitude = try parser.number()
            case "longitude" where longitude == nil: longitude = try parser.number()
            case "name" where name == nil: name = try parser.string()
            default: throw parser.failure("unexpected or repeated key \(key) in a waypoint")
            }
        }
        guard let name, let latitude, let longitude else { throw parser.failure("a waypoint lacks a field") }
        self.init(name: name, latitude: latitude, longitude: longitude)
    }
}
