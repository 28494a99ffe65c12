import JSON

/// The route a GPX document holds, as the JSON of a trip, so that it is validated as any other new trip.
///
/// Points come from the first of: the first `rte`, the `wpt`s, the first `trk`'s points. The name from the first of:
/// that route's or track's `name`, `metadata/name` (or GPX 1.0's `gpx/name`), "Imported route". Unnamed points are
/// named by position. `XMLReader` refuses any DTD, so no entity is ever declared or expanded.
package enum GPXRoute {
    /// Throws 400 for a DTD, another encoding than UTF-8, malformed XML or XML past the limits, and 422 for
    /// well-formed XML that is not GPX.
    package static func trip(from bytes: [UInt8]) throws(Problem) -> JSONValue {
        var document = Document()
        do {
            var reader = try XMLReader(bytes, maxAttributes: Limits.xmlAttributesPerElement, maxDepth: Limits.xmlDepth)
            while let event = try reader.next() {
                switch event {
                case .start(let element): document.start(element, attributes: reader.attributes)
                case .end: document.end()
                case .text(let text): document.text += text
                }
            }
        } catch {
            throw problem(error)
        }
        guard document.isGPX else { throw Problem(.unprocessableContent, "The document is XML but not GPX: its root is not gpx.") }
        let source = document.route ?? (document.waypoints.isEmpty ? document.track : Route(name: nil, points: document.waypoints))
        let points = source?.points ?? []
        return .object([
            "name": .string(source?.name ?? document.documentName ?? "Imported route"),
            "waypoints": .array(points.enumerated().map { index, point in
                .object([
                    "name": .string(point.name ?? "Point \(index + 1)"),
                    "latitude": point.latitude.map(JSONValue.number) ?? .null,
                    "longitude": point.longitude.map(JSONValue.number) ?? .null,
                ])
            }),
        ])
    }

    private static func problem(_ failure: XMLReader.Failure) -> Problem {
        switch failure {
        case .notUTF8:
            Problem(.badRequest, "The GPX document must be UTF-8.")
        case .doctype:
            Problem(.badRequest, "GPX documents with a DTD or entity declarations are not accepted.")
        case .tooManyAttributes:
            Problem(.badRequest, "An element of the GPX document has more than \(Limits.xmlAttributesPerElement) attributes.")
        case .tooDeep:
            Problem(.badRequest, "The GPX document nests elements more than \(Limits.xmlDepth) deep.")
        case .malformed(let offset):
            Problem(.badRequest, "The request body is not well-formed XML (at byte \(offset)).")
        }
    }

    struct Point {
        var name: String?
        var latitude: Double?
        var longitude: Double?
    }

    struct Route {
        var name: String?
        var points: [Point]
    }

    /// The elements `Document` reads; any other is `other`.
    private enum Tag {
        case gpx, metadata, name, rte, rtept, wpt, trk, trkseg, trkpt, other

        /// Compared as ASCII, since comparing other strings costs Unicode normalization on every element.
        init(_ element: String) {
            guard element.utf8.count <= 8, element.utf8.allSatisfy({ $0 < 0x80 }) else {
                self = .other
                return
            }
            self =
                switch element {
                case "gpx": .gpx
                case "metadata": .metadata
                case "name": .name
                case "rte": .rte
                case "rtept": .rtept
                case "wpt": .wpt
                case "trk": .trk
                case "trkseg": .trkseg
                case "trkpt": .trkpt
                default: .other
                }
        }
    }

    /// Collects what `trip(from:)` needs in one pass; ignores every element it does not know. It keeps one point past
    /// the limit of a trip's waypoints, enough for validation to refuse the trip naming the limit.
    private struct Document {
        var isGPX = false
        var route: Route?
        var track: Route?
        var waypoints: [Point] = []
        var documentName: String?
        /// The text since the last tag.
        var text = ""
        private var path: [Tag] = []
        private var routes = 0
        private var tracks = 0
        private var point: Point?
        private static let pointsKept = Limits.waypointsPerTrip + 1

        mutating func start(_ element: String, attributes: [(name: String, value: String)]) {
            let tag = Tag(element)
            if path.isEmpty { isGPX = tag == .gpx }
            path.append(tag)
            text = ""
            switch tag {
            case .rte where path.count == 2:
                routes += 1
                if routes == 1 { route = Route(points: []) }
            case .trk where path.count == 2:
                tracks += 1
                if tracks == 1 { track = Route(points: []) }
            case .rtept, .wpt, .trkpt:
                /// Compared as bytes, since comparing other strings costs Unicode normalization on every attribute.
                func number(_ name: StaticString) -> Double? {
                    let value = name.withUTF8Buffer { name in attributes.first { $0.name.utf8.elementsEqual(name) }?.value }
                    return value.flatMap(Self.decimal)
                }
                point = Point(latitude: number("lat"), longitude: number("lon"))
            default:
                break
            }
        }

        mutating func end() {
            let tag = path.removeLast()
            let depth = path.count + 1
            switch (tag, path.last) {
            case (.name, .rtept?), (.name, .wpt?), (.name, .trkpt?):
                point?.name = Self.nonEmpty(text)
            case (.name, .rte?) where routes == 1 && depth == 3:
                route?.name = Self.nonEmpty(text)
            case (.name, .trk?) where tracks == 1 && depth == 3:
                track?.name = Self.nonEmpty(text)
            case (.name, .metadata?) where depth == 3, (.name, .gpx?) where depth == 2:
                documentName = Self.nonEmpty(text)
            case (.rtept, .rte?) where routes == 1 && depth == 3:
                Self.keep(point, in: &route)
            case (.wpt, .gpx?) where depth == 2 && waypoints.count < Self.pointsKept:
                waypoints.append(point ?? Point())
            case (.trkpt, .trkseg?) where tracks == 1 && depth == 4:
                Self.keep(point, in: &track)
            default:
                break
            }
            text = ""
        }

        private static func keep(_ point: Point?, in route: inout Route?) {
            if let count = route?.points.count, count < pointsKept { route?.points.append(point ?? Point()) }
        }

        /// `text` without white space at either end, or nil if nothing is left.
        /// An `xsd:decimal`, as GPX writes coordinates: digits with an optional sign and one point, between XML
        /// white space, and nothing else `Double` would read (no exponent, hexadecimal, `nan` or `inf`).
        static func decimal(_ text: String) -> Double? {
            let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
            let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
            var number = Substring(text).utf8
            while let first = number.first, isSpace(first) { number = number.dropFirst() }
            while let last = number.last, isSpace(last) { number = number.dropLast() }
            var unsigned = number
            if unsigned.first == UInt8(ascii: "+") || unsigned.first == UInt8(ascii: "-") { unsigned = unsigned.dropFirst() }
            guard unsigned.contains(where: isDigit), unsigned.count(where: { $0 == UInt8(ascii: ".") }) <= 1,
                unsigned.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: ".") })
            else { return nil }
            return Double(Substring(number))
        }

        private static func nonEmpty(_ text: String) -> String? {
            let scalars = text.unicodeScalars
            guard let first = scalars.firstIndex(where: { !isWhitespace($0) }), let last = scalars.lastIndex(where: { !isWhitespace($0) })
            else { return nil }
            return String(scalars[first...last])
        }

        /// Unicode's White_Space, looked up only past ASCII.
        private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII ? scalar == " " || (0x09...0x0D).contains(scalar.value) : scalar.properties.isWhitespace
        }
    }
}
