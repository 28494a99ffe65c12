import Foundation
import Hummingbird
import TripCore

extension Response {
    /// GPX 1.1 with the trip as one route, offered as a download named after the trip.
    static func gpx(_ trip: Trip) throws -> Response {
        let waypoints = try trip.waypoints.decoded()
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <gpx version="1.1" creator="trip-planner" xmlns="http://www.topografix.com/GPX/1/1">
            <metadata><name>\(XML.escaped(trip.name))</name></metadata>
            <rte><name>\(XML.escaped(trip.name))</name>

            """
        for waypoint in waypoints {
            xml += #"<rtept lat="\#(XML.decimal(waypoint.latitude))" lon="\#(XML.decimal(waypoint.longitude))">"#
            xml += "<name>\(XML.escaped(waypoint.name))</name></rtept>"
            xml += "\n"
        }
        xml += "</rte>\n</gpx>\n"
        let disposition = #"attachment; filename="\#(Self.fileName(trip.name)).gpx""#
        return .export(Array(xml.utf8), as: .gpx, headers: [.contentDisposition: disposition])
    }

    /// The trip's name with every run of characters other than ASCII letters, digits, `-` and `_` made one `-`,
    /// at most 64 long; "trip" when nothing is left.
    static func fileName(_ name: String) -> String {
        var safe = ""
        for scalar in name.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-" {
                safe.unicodeScalars.append(scalar)
            } else if !safe.hasSuffix("-") {
                safe += "-"
            }
        }
        let trimmed = safe.trimmingCharacters(in: CharacterSet(charactersIn: "-")).prefix(64)
        return trimmed.isEmpty ? "trip" : String(trimmed)
    }
}
