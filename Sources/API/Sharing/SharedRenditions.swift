import Crypto
import Foundation
import Hummingbird
import HTTPTypes
import Synchronization
import TripCore

/// A shared trip rendered in one format: the bytes, their headers and an entity tag of their digest.
struct SharedRendition: Sendable {
    let headers: HTTPFields
    let body: ByteBuffer
    let entityTag: String

    /// The opaque part of `entityTag`, without its quotes.
    var opaqueTag: Substring { entityTag.dropFirst().dropLast() }
}

/// Renditions of shared trips by trip, version and format, so that a page costs its rendering once per version, not
/// once per request. Bounded by `entries` and by `bytes` in all; past either the least recently used go first.
final class SharedRenditions: Sendable {
    private struct Key: Hashable, Sendable {
        let version: TripVersion
        let format: TripFormat
    }

    private struct Entry {
        let rendition: SharedRendition
        var lastUse: UInt64
    }

    private struct Contents {
        var entries: [Key: Entry] = [:]
        var bytes = 0
        var uses: UInt64 = 0
    }

    private let maxEntries: Int
    private let maxBytes: Int
    private let contents = Mutex(Contents())

    init(entries: Int, bytes: Int) {
        maxEntries = entries
        maxBytes = bytes
    }

    /// The rendition kept for this version of a trip in `format`, if any.
    func kept(_ version: TripVersion, as format: TripFormat) -> SharedRendition? {
        kept(Key(version: version, format: format))
    }

    /// The trip's rendition in `format`, made by `render` only when none is kept for its version.
    func rendition(of trip: Trip, as format: TripFormat, render: (Trip) throws -> Response) async throws -> SharedRendition {
        let key = Key(version: TripVersion(trip: trip.id, version: trip.version, updatedAt: trip.updatedAt), format: format)
        if let kept = kept(key) { return kept }
        let response = try render(trip)
        let body = try await Self.bytes(of: response.body)
        let digest = Data(SHA256.hash(data: Data(buffer: body)).prefix(16)).base64EncodedString()
        let rendition = SharedRendition(headers: response.headers, body: body, entityTag: "\"\(digest)\"")
        keep(rendition, for: key)
        return rendition
    }

    var count: Int { contents.withLock { $0.entries.count } }
    var byteCount: Int { contents.withLock { $0.bytes } }

    private func kept(_ key: Key) -> SharedRendition? {
        contents.withLock { contents in
            guard var entry = contents.entries[key] else { return nil }
            contents.uses += 1
            entry.lastUse = contents.uses
            contents.entries[key] = entry
            return entry.rendition
        }
    }

    private func keep(_ rendition: SharedRendition, for key: Key) {
        let size = rendition.body.readableBytes
        guard size <= maxBytes else { return }
        contents.withLock { contents in
            if let old = contents.entries.removeValue(forKey: key) { contents.bytes -= old.rendition.body.readableBytes }
            while contents.entries.count >= maxEntries || contents.bytes + size > maxBytes,
                let oldest = contents.entries.min(by: { $0.value.lastUse < $1.value.lastUse })
            {
                contents.entries[oldest.key] = nil
                contents.bytes -= oldest.value.rendition.body.readableBytes
            }
            contents.uses += 1
            contents.entries[key] = Entry(rendition: rendition, lastUse: contents.uses)
            contents.bytes += size
        }
    }

    /// The bytes a response body writes.
    private static func bytes(of body: ResponseBody) async throws -> ByteBuffer {
        let collector = Collector()
        try await body.write(collector)
        return collector.bytes
    }

    private final class Collector: ResponseBodyWriter {
        var bytes = ByteBuffer()

        func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            bytes.writeBuffer(&buffer)
        }

        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
