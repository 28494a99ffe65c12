import Crypto
import Foundation
import Hummingbird
import HTTPTypes
import TripCore

/// The page a share link opens: the trip's name, length, an SVG drawing of the route and its waypoints, with no script
/// and nothing loaded from elsewhere. Every string a user wrote goes through `XML.escaped`.
enum SharedPage {
    /// Sets the headers of an answer at `/s/…`: a trip found may be kept by the visitor's browser, which must ask again
    /// before it shows it (so a revoked link stops working), and never by a shared cache; anything else is not kept.
    static func addHeaders(to fields: inout HTTPFields, found: Bool) {
        fields[.cacheControl] = found ? "private, no-cache" : "no-store"
        for (name, value) in headers { fields[name] = value }
    }

    private static let headers: [(HTTPField.Name, String)] = [
        (.referrerPolicy, "no-referrer"),
        (.robotsTag, "noindex"),
        (.xContentTypeOptions, "nosniff"),
        (.contentSecurityPolicy,
         "default-src 'none'; style-src '\(styleHash)'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
    ]

    static func render(_ trip: Trip) throws -> Response {
        let waypoints = try trip.waypoints.decoded()
        let name = XML.escaped(trip.name)
        var rows = ""
        for (index, waypoint) in waypoints.enumerated() {
            rows += "<tr><td>\(index + 1)</td><td>\(XML.escaped(waypoint.name))</td>"
            rows += "<td>\(waypoint.latitude)</td><td>\(waypoint.longitude)</td></tr>\n"
        }
        return page(title: name, body: """
            <h1>\(name)</h1>
            <p>\(distance(trip.waypoints.figures.distanceMeters)) · \(waypoints.count) waypoints</p>
            \(RouteDrawing(waypoints, bbox: trip.waypoints.figures.bbox).svg)
            <table><thead><tr><th>#</th><th>Waypoint</th><th>Latitude</th><th>Longitude</th></tr></thead>
            <tbody>
            \(rows)</tbody></table>
            <p><a href="?format=gpx">Download GPX</a> · <a href="?format=geojson">Download GeoJSON</a></p>
            """)
    }

    static func notFound() -> Response {
        var response = page(title: "Not found", body: "<h1>Not found</h1>\n<p>This link does not open a trip: it may have been revoked, or have expired.</p>")
        response.status = .notFound
        return response
    }

    private static func page(title: String, body: String) -> Response {
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title)</title><style>\(style)</style></head>
            <body><main>
            \(body)
            </main></body></html>

            """
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    private static func distance(_ meters: Int) -> String {
        meters < 1000 ? "\(meters) m" : String(format: "%.1f km", Double(meters) / 1000)
    }

    private static let style = """
        body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#222}main{max-width:48rem;margin:auto;padding:1rem}\
        svg{width:100%;height:auto;background:#eef3f6;border-radius:.5rem}table{border-collapse:collapse;width:100%}\
        td,th{padding:.25rem .5rem;border-bottom:1px solid #ddd;text-align:left}
        """

    /// The Content-Security-Policy source that allows the one inline style sheet and nothing else.
    private static let styleHash = "sha256-" + Data(SHA256.hash(data: Array(style.utf8))).base64EncodedString()
}

/// The route drawn in an SVG viewport: longitudes east of the box's western edge, scaled by the cosine of its middle
/// latitude so that shapes keep their proportions; one polyline vertex and one numbered dot per waypoint, the start and
/// the end told apart by colour and a legend.
struct RouteDrawing {
    let points: [(x: Double, y: Double)]
    let names: [String]

    private static let width = 640.0
    private static let height = 400.0
    private static let margin = 20.0
    /// Kept free below the route for the legend.
    private static let legendBand = 24.0

    init(_ waypoints: [Waypoint], bbox: [Double]?) {
        names = waypoints.map(\.name)
        guard let bbox else {
            points = []
            return
        }
        let (west, south, north) = (bbox[0], bbox[1], bbox[3])
        func eastOfWest(_ longitude: Double) -> Double { longitude < west ? longitude + 360 - west : longitude - west }
        let squeeze = cos((south + north) / 2 * .pi / 180)
        let spanX = max(eastOfWest(bbox[2]) * squeeze, 1e-9)
        let spanY = max(north - south, 1e-9)
        let scale = min((Self.width - 2 * Self.margin) / spanX, (Self.height - 2 * Self.margin - Self.legendBand) / spanY)
        points = waypoints.map { waypoint in
            (Self.margin + eastOfWest(waypoint.longitude) * squeeze * scale, Self.margin + (north - waypoint.latitude) * scale)
        }
    }

    var svg: String {
        let vertices = points.map { String(format: "%.1f,%.1f", $0.x, $0.y) }.joined(separator: " ")
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 400" role="img" aria-label="The route">"#
        if !points.isEmpty {
            svg += ##"<polyline points="\##(vertices)" fill="none" stroke="#78909c" stroke-width="3" stroke-linejoin="round"/>"##
        }
        // The end first, so that on a route that comes back the start's marker is drawn over it.
        for index in points.indices.reversed() {
            svg += marker(index)
        }
        if !points.isEmpty {
            svg += Self.legend
        }
        return svg + "</svg>"
    }

    /// Where a waypoint is on the route, which its marker's colour tells.
    enum Stop: String {
        case start, stop, end

        var colour: String {
            switch self {
            case .start: "#2e7d32"
            case .stop: "#1565c0"
            case .end: "#c62828"
            }
        }
    }

    func stop(_ index: Int) -> Stop {
        index == 0 ? .start : index == points.count - 1 ? .end : .stop
    }

    /// A dot numbered as the table's row, coloured by its place on the route, named in its tooltip.
    private func marker(_ index: Int) -> String {
        let (point, place) = (points[index], stop(index))
        let number = index + 1
        let role = points.count == 1 ? " (start and end)" : place == .stop ? "" : " (\(place.rawValue))"
        var marker = String(format: ##"<g><circle cx="%.1f" cy="%.1f" r="10" "##, point.x, point.y)
        marker += ##"fill="\##(place.colour)" stroke="#fff" stroke-width="2"/>"##
        marker += String(format: ##"<text x="%.1f" y="%.1f" text-anchor="middle" "##, point.x, point.y + 3.5)
        marker += ##"font-family="sans-serif" font-size="\##(number < 100 ? 10 : 7)" font-weight="bold" fill="#fff">\##(number)</text>"##
        return marker + "<title>\(number). \(XML.escaped(names[index]))\(role)</title></g>"
    }

    private static let legend = [Stop.start, .stop, .end].enumerated().map { offset, stop in
        let x = 20 + offset * 70
        return ##"<circle cx="\##(x)" cy="388" r="5" fill="\##(stop.colour)"/>"##
            + ##"<text x="\##(x + 9)" y="392" font-family="sans-serif" font-size="12" fill="#37474f">\##(stop.rawValue)</text>"##
    }.joined()
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let robotsTag = Self("X-Robots-Tag")!
}
