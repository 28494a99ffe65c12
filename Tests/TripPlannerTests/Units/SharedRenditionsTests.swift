@testable import API
import Foundation
import Hummingbird
import Synchronization
import Testing
import TripCore

/// Shared trips are rendered once per version and format, in a cache bounded by entries and bytes; requests for them
/// are counted per client address.
@Suite struct SharedRenditionsTests {
    private let owner = OwnerID()

    private func trip(_ id: TripID = TripID(), version: Int = 1) -> Trip {
        let waypoints = Waypoints([Waypoint(name: "Paris", latitude: 48.8566, longitude: 2.3522)])
        return Trip(id: id, owner: owner, name: "Trip", waypoints: waypoints, createdAt: .storeNow, updatedAt: .storeNow, version: version)
    }

    /// Renders `trip` through `cache`, counting renders in `renders`, with a body of `size` bytes.
    private func rendition(
        _ trip: Trip, _ cache: SharedRenditions, _ renders: Renders, size: Int = 10, as format: TripFormat = .html
    ) async throws -> SharedRendition {
        try await cache.rendition(of: trip, as: format) { trip in
            renders.count.withLock { $0 += 1 }
            let text = "\(trip.version)" + String(repeating: "x", count: size - 1)
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    @Test func aVersionIsRenderedOncePerFormatAndItsTagNamesItsBytes() async throws {
        let cache = SharedRenditions(entries: 10, bytes: 1000)
        let renders = Renders()
        let first = trip()
        let page = try await rendition(first, cache, renders)
        let again = try await rendition(first, cache, renders)
        #expect(renders.count.withLock { $0 } == 1)
        #expect(again.entityTag == page.entityTag && again.body == page.body)
        #expect(page.entityTag.hasPrefix("\"") && page.entityTag.hasSuffix("\"") && page.entityTag.count > 10)
        #expect(page.headers[.contentType] == "text/plain")
        let gpx = try await rendition(first, cache, renders, as: .gpx)
        #expect(renders.count.withLock { $0 } == 2)
        let second = try await rendition(trip(first.id, version: 2), cache, renders)
        #expect(renders.count.withLock { $0 } == 3)
        #expect(Set([page.entityTag, gpx.entityTag, second.entityTag]).count == 2, "the same bytes have the same tag")
    }

    @Test func theLeastRecentlyUsedGoPastTheEntriesOrTheBytes() async throws {
        let cache = SharedRenditions(entries: 3, bytes: 100)
        let renders = Renders()
        let trips = (0..<4).map { _ in trip() }
        for trip in trips.prefix(3) { _ = try await rendition(trip, cache, renders) }
        _ = try await rendition(trips[0], cache, renders)
        _ = try await rendition(trips[3], cache, renders)
        #expect(cache.count == 3)
        _ = try await rendition(trips[0], cache, renders)
        #expect(renders.count.withLock { $0 } == 4, "the first was used last, so the second went")
        _ = try await rendition(trips[1], cache, renders)
        #expect(renders.count.withLock { $0 } == 5)

        _ = try await rendition(trip(), cache, renders, size: 90)
        #expect(cache.byteCount == 100)
        #expect(cache.count == 2, "two of 10 bytes went to make room for 90")
        _ = try await rendition(trip(), cache, renders, size: 101)
        #expect(cache.byteCount == 100, "a rendition larger than the cache is not kept")
    }

    @Test func addressesAreCountedInWindowsOnTheLimitsClock() throws {
        let start = Date(timeIntervalSince1970: 1_000_000)
        let clock = ManualClock(start)
        let limit = AddressRateLimit(allowed: 2, window: 60, addresses: 2, now: { clock.now })
        try limit.admit("192.0.2.1", refusal: "no")
        try limit.admit("192.0.2.1", refusal: "no")
        clock.set(start + 20)
        do {
            try limit.admit("192.0.2.1", refusal: "no")
            Issue.record("admitted past the limit")
        } catch {
            #expect(error.status == .tooManyRequests && error.headers[.retryAfter] == "40")
        }
        try limit.admit("192.0.2.2", refusal: "no")
        for _ in 0..<5 { try limit.admit("192.0.2.3", refusal: "no") }
        clock.set(start + 60)
        try limit.admit("192.0.2.1", refusal: "no")
    }

    @Test func anIPv6ClientIsCountedWithItsSlash64() throws {
        let limit = AddressRateLimit(allowed: 2, window: 60, addresses: 100)
        try limit.admit("2001:db8:1:2::1", refusal: "no")
        try limit.admit("2001:db8:1:2:ffff::9", refusal: "no")
        #expect(throws: Problem.self) { try limit.admit("2001:0db8:0001:0002::7", refusal: "no") }
        try limit.admit("2001:db8:1:3::1", refusal: "no")
        for address in ["::ffff:192.0.2.1", "192.0.2.1", "::ffff:192.0.2.2"] { try limit.admit(address, refusal: "no") }
        #expect(throws: Problem.self) { try limit.admit("::ffff:192.0.2.1", refusal: "no") }
        #expect(AddressRateLimit.key("not an address") == "not an address")
    }
}

/// How many times a test's renderer ran.
final class Renders: Sendable {
    let count = Mutex(0)
}
