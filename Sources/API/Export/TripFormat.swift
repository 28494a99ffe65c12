import Foundation
import Hummingbird

/// The representations a trip can be read in: chosen by `?format=`, which browsers and links can set, or else by
/// `Accept`.
enum TripFormat: String {
    case json
    case geoJSON = "geojson"
    case gpx
    case html

    /// What a trip's owner can have, the first when anything goes.
    static let owned: [TripFormat] = [.json, .geoJSON, .gpx]
    /// What a share link's visitor can have: a page in a browser, and what its links download.
    static let shared: [TripFormat] = [.html, .json, .geoJSON, .gpx]

    var mediaType: String {
        switch self {
        case .json: "application/json"
        case .geoJSON: "application/geo+json"
        case .gpx: "application/gpx+xml"
        case .html: "text/html"
        }
    }

    /// One of `formats`; throws 400 for another `?format=`, and 406 when `Accept` allows none of them.
    init(_ request: Request, offering formats: [TripFormat]) throws {
        if let name = request.uri.queryParameters.get("format") {
            guard let format = TripFormat(rawValue: name), formats.contains(format) else {
                throw Problem.badQuery("format must be one of \(formats.map(\.rawValue).joined(separator: ", ")).")
            }
            self = format
            return
        }
        let accepted = request.headers[values: .accept].joined(separator: ",")
        guard !accepted.trimmingCharacters(in: .whitespaces).isEmpty else {
            self = formats[0]
            return
        }
        let ranges = MediaRange.list(accepted)
        // The most preferred format, the earlier in `formats` among equals.
        var best: (format: TripFormat, quality: Double)?
        for format in formats {
            let quality = MediaRange.quality(of: format.mediaType, in: ranges)
            if quality > 0, quality > best?.quality ?? 0 { best = (format, quality) }
        }
        guard let best else {
            throw Problem(
                .notAcceptable,
                "A trip can be had as \(formats.map(\.mediaType).joined(separator: ", ")); Accept allows none of them.")
        }
        self = best.format
    }
}

/// One `type/subtype;q=…` of an `Accept` header.
struct MediaRange {
    let type: Substring
    let subtype: Substring
    let quality: Double

    static func list(_ header: String) -> [MediaRange] {
        header.split(separator: ",").compactMap { item in
            let parts = item.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = parts.first else { return nil }
            let name = first.lowercased().split(separator: "/", omittingEmptySubsequences: false)
            guard name.count == 2, !name[0].isEmpty, !name[1].isEmpty else { return nil }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].lowercased() == "q" else { continue }
                guard let value = Double(pair[1]), (0...1).contains(value) else { return nil }
                quality = value
            }
            return MediaRange(type: Substring(name[0]), subtype: Substring(name[1]), quality: quality)
        }
    }

    /// The quality the most specific range matching `mediaType` gives it; 0 when none matches.
    static func quality(of mediaType: String, in ranges: [MediaRange]) -> Double {
        let name = mediaType.split(separator: "/")
        var match: (specificity: Int, quality: Double) = (-1, 0)
        for range in ranges {
            let specificity: Int
            switch (range.type, range.subtype) {
            case (name[0], name[1]): specificity = 2
            case (name[0], "*"): specificity = 1
            case ("*", "*"): specificity = 0
            default: continue
            }
            if specificity > match.specificity { match = (specificity, range.quality) }
        }
        return match.quality
    }
}
