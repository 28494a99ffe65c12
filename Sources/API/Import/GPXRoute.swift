import Foundation
import FoundationXML
import JSON

/// The route a GPX document holds, as the JSON of a trip, so that it is validated as any other new trip.
///
/// Points come from the first of: the first `rte`, the `wpt`s, the first `trk`'s points. The name from the first of:
/// that route's or track's `name`, `metadata/name` (or GPX 1.0's `gpx/name`), "Imported route". Unnamed points are
/// named by position. Documents with a DTD are refused before parsing, so no entity is ever declared or expanded.
enum GPXRoute {
    /// Throws 400 for a DTD, another encoding than UTF-8, or malformed XML, and 422 for well-formed XML that is not GPX.
    static func trip(from bytes: [UInt8]) throws(Problem) -> JSONValue {
        try refuseDTDs(bytes)
        let reader = Reader()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = reader
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        // FoundationXML's `parse()` returns true after some errors, such as an unclosed element; the error still shows.
        guard parser.parse(), parser.parserError == nil, !reader.failed else {
            if let problem = reader.problem { throw problem }
            throw Problem(.badRequest, "The request body is not well-formed XML.")
        }
        guard reader.isGPX else { throw Problem(.unprocessableContent, "The document is XML but not GPX: its root is not gpx.") }
        let source = reader.route ?? (reader.waypoints.isEmpty ? reader.track : Route(name: nil, points: reader.waypoints))
        let points = source?.points ?? []
        return .object([
            "name": .string(source?.name ?? reader.documentName ?? "Imported route"),
            "waypoints": .array(points.enumerated().map { index, point in
                .object([
                    "name": .string(point.name ?? "Point \(index + 1)"),
                    "latitude": point.latitude.map(JSONValue.number) ?? .null,
                    "longitude": point.longitude.map(JSONValue.number) ?? .null,
                ])
            }),
        ])
    }

    /// Only UTF-8 is read, so that no DTD can hide from this scan in another encoding.
    private static func refuseDTDs(_ bytes: [UInt8]) throws(Problem) {
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.contains(0) {
            throw Problem(.badRequest, "The GPX document must be UTF-8.")
        }
        if let declaration = bytes.firstRange(of: Array("?>".utf8)).map({ bytes[..<$0.lowerBound] }),
            let encoding = declaration.firstRange(of: Array("encoding".utf8)),
            !String(decoding: declaration[encoding.upperBound...], as: UTF8.self).lowercased().contains("utf-8") {
            throw Problem(.badRequest, "The GPX document must be UTF-8.")
        }
        if bytes.firstRange(of: Array("<!DOCTYPE".utf8)) != nil || bytes.firstRange(of: Array("<!ENTITY".utf8)) != nil {
            throw Problem(.badRequest, "GPX documents with a DTD or entity declarations are not accepted.")
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

    /// Collects what `trip(from:)` needs in one pass; ignores every element it does not know.
    private final class Reader: NSObject, XMLParserDelegate {
        var isGPX = false
        var route: Route?
        var track: Route?
        var waypoints: [Point] = []
        var documentName: String?
        var problem: Problem?
        var failed = false
        private var path: [String] = []
        private var routes = 0
        private var tracks = 0
        private var point: Point?
        private var text = ""

        func parser(
            _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if path.isEmpty { isGPX = element == "gpx" }
            path.append(element)
            text = ""
            switch element {
            case "rte" where path.count == 2:
                routes += 1
                if routes == 1 { route = Route(points: []) }
            case "trk" where path.count == 2:
                tracks += 1
                if tracks == 1 { track = Route(points: []) }
            case "rtept", "wpt", "trkpt":
                point = Point(latitude: attributes["lat"].flatMap(Double.init), longitude: attributes["lon"].flatMap(Double.init))
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text += string
        }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            text += String(decoding: block, as: UTF8.self)
        }

        func parser(_ parser: XMLParser, parseErrorOccurred error: any Error) {
            failed = true
        }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            let parent = path.dropLast().last
            switch (element, parent) {
            case ("name", "rtept"?), ("name", "wpt"?), ("name", "trkpt"?):
                point?.name = Self.nonEmpty(text)
            case ("name", "rte"?) where routes == 1 && path.count == 3:
                route?.name = Self.nonEmpty(text)
            case ("name", "trk"?) where tracks == 1 && path.count == 3:
                track?.name = Self.nonEmpty(text)
            case ("name", "metadata"?) where path.count == 3, ("name", "gpx"?) where path.count == 2:
                documentName = Self.nonEmpty(text)
            case ("rtept", "rte"?) where routes == 1 && path.count == 3:
                route?.points.append(point ?? Point())
            case ("wpt", "gpx"?) where path.count == 2:
                waypoints.append(point ?? Point())
            case ("trkpt", "trkseg"?) where tracks == 1 && path.count == 4:
                track?.points.append(point ?? Point())
            default:
                break
            }
            path.removeLast()
            text = ""
        }

        func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
            refuse(parser)
        }

        func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
            refuse(parser)
        }

        private func refuse(_ parser: XMLParser) {
            problem = Problem(.badRequest, "GPX documents with a DTD or entity declarations are not accepted.")
            parser.abortParsing()
        }

        private static func nonEmpty(_ text: String) -> String? {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
    }
}
