import Foundation
import Hummingbird

/// The representations a trip can be read in: chosen by `?format=`, which browsers and links can set, or else by
/// `Accept`.
package enum TripFormat: String, CaseIterable {
    case json
    case geoJSON = "geojson"
    case gpx
    case html

    /// What a trip's owner can have, the first when anything goes.
    package static let owned: [TripFormat] = [.json, .geoJSON, .gpx]
    /// What a share link's visitor can have: a page in a browser, and what its links download.
    package static let shared: [TripFormat] = [.html, .json, .geoJSON, .gpx]

    package var mediaType: String {
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
        guard let format = Self.preferred(by: accepted, among: formats) else {
            throw Problem(
                .notAcceptable,
                "A trip can be had as \(formats.map(\.mediaType).joined(separator: ", ")); Accept allows none of them.")
        }
        self = format
    }

    /// The format of `formats` that an `Accept` value prefers, the earlier in `formats` among equals; nil when it
    /// allows none.
    package static func preferred(by accepted: String, among formats: [TripFormat]) -> TripFormat? {
        let ranges = MediaRange.list(accepted)
        var best: (format: TripFormat, quality: Double)?
        for format in formats {
            let quality = MediaRange.quality(of: format.mediaType, in: ranges)
            if quality > 0, quality > best?.quality ?? 0 { best = (format, quality) }
        }
        return best?.format
    }
}

/// One `type/subtype;q=…` of an `Accept` header, read byte by byte so that no grapheme cluster can hide a separator.
package struct MediaRange: Equatable {
    package let type: Substring
    package let subtype: Substring
    package let quality: Double

    /// The well-formed ranges of a header, in order; an item without a `/`, or with a `q` outside 0…1, is dropped.
    package static func list(_ header: String) -> [MediaRange] {
        header.utf8.split(separator: UInt8(ascii: ",")).compactMap { item in
            let parts = item.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false).map {
                Substring($0).trimmingHTTPWhitespace
            }
            guard let first = parts.first else { return nil }
            let name = Substring(first.lowercased()).utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            guard name.count == 2, !name[0].isEmpty, !name[1].isEmpty else { return nil }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.utf8.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
                guard pair.count == 2, Substring(pair[0]).trimmingHTTPWhitespace.lowercased() == "q" else { continue }
                guard let value = Double(Substring(Substring(pair[1]).trimmingHTTPWhitespace)), (0...1).contains(value) else { return nil }
                quality = value
            }
            return MediaRange(type: Substring(name[0]), subtype: Substring(name[1]), quality: quality)
        }
    }

    /// The quality the most specific range matching `mediaType` gives it; 0 when none matches.
    package static func quality(of mediaType: String, in ranges: [MediaRange]) -> Double {
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
