import JSON

/// A trip's waypoints in order, kept in the one JSON spelling this server writes: a response or the
/// SQLite store copies them as they are, and only code that needs each waypoint decodes them.
public struct Waypoints: Hashable, Sendable {
    /// `[{"latitude":…,"longitude":…,"name":…},…]`: keys sorted, numbers in their shortest spelling.
    public let json: [UInt8]
    public let figures: RouteFigures

    public init(_ waypoints: [Waypoint]) {
        var writer = JSONWriter(capacity: 2 + 64 * waypoints.count)
        writer.array(waypoints) { writer, waypoint in
            writer.raw(#"{"latitude":"#)
            writer.number(waypoint.latitude)
            writer.raw(#","longitude":"#)
            writer.number(waypoint.longitude)
            writer.raw(#","name":"#)
            writer.string(waypoint.name)
            writer.raw("}")
        }
        json = writer.bytes
        figures = RouteFigures(latitudes: waypoints.map(\.latitude), longitudes: waypoints.map(\.longitude)) {
            writer, isLatitude, index in writer.number(isLatitude ? waypoints[index].latitude : waypoints[index].longitude)
        }
    }

    /// Adopts an array this server wrote earlier, after checking that it is in exactly the spelling
    /// `init(_:)` writes, reading only its coordinates.
    public init(stored json: [UInt8]) throws(JSONParser.Failure) {
        figures = try json.withUnsafeBytes { bytes in
            Result { () throws(JSONParser.Failure) in try Self.checkSpelling(bytes) }
        }.get()
        self.json = json
    }

    /// Each waypoint, decoded; throws only if a stored number is out of range.
    public func decoded() throws(JSONParser.Failure) -> [Waypoint] {
        try Self.read(json)
    }

    /// `[{"latitude":N,"longitude":N,"name":S},…]` with nothing else, each number and string valid; returns the
    /// figures of the route.
    private static func checkSpelling(_ bytes: UnsafeRawBufferPointer) throws(JSONParser.Failure) -> RouteFigures {
        var parser = JSONParser(bytes: bytes)
        var latitudes: [Double] = []
        var longitudes: [Double] = []
        var spellings: [Range<Int>] = []
        latitudes.reserveCapacity(16)
        longitudes.reserveCapacity(16)
        spellings.reserveCapacity(32)
        try parser.expect("[")
        if !parser.consume("]") {
            repeat {
                try parser.expect(#"{"latitude":"#)
                var start = parser.offset
                latitudes.append(try parser.number())
                spellings.append(start..<parser.offset)
                try parser.expect(#","longitude":"#)
                start = parser.offset
                longitudes.append(try parser.number())
                spellings.append(start..<parser.offset)
                try parser.expect(#","name":"#)
                try parser.skipString()
                try parser.expect("}")
            } while parser.consume(",")
            try parser.expect("]")
        }
        try parser.end()
        return RouteFigures(latitudes: latitudes, longitudes: longitudes) { writer, isLatitude, index in
            writer.fragment(UnsafeRawBufferPointer(rebasing: bytes[spellings[2 * index + (isLatitude ? 0 : 1)]]))
        }
    }

    /// Reads an array of objects with exactly the keys `latitude`, `longitude` and `name`.
    private static func read(_ json: [UInt8]) throws(JSONParser.Failure) -> [Waypoint] {
        try json.withUnsafeBytes { bytes in
            Result { () throws(JSONParser.Failure) in try read(bytes) }
        }.get()
    }

    private static func read(_ bytes: UnsafeRawBufferPointer) throws(JSONParser.Failure) -> [Waypoint] {
        var parser = JSONParser(bytes: bytes)
        var waypoints: [Waypoint] = []
        try parser.elements { (parser: inout JSONParser) throws(JSONParser.Failure) in
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
            waypoints.append(Waypoint(name: name, latitude: latitude, longitude: longitude))
        }
        try parser.end()
        return waypoints
    }
}

extension Waypoints: ExpressibleByArrayLiteral {
    public init(arrayLiteral waypoints: Waypoint...) {
        self.init(waypoints)
    }
}
