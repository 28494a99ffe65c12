import Foundation
@testable import StoreMongo
import Testing
import TripCore

/// Documents are read in Swift from their bytes, in one walk that checks every length against them.
@Suite struct BSONFieldsTests {
    let id = ObjectID(date: Date(milliseconds: 1_700_000_000_000))
    let stamp = Date(milliseconds: 1_700_000_000_123)

    var sample: BSONDocument {
        BSONDocument([
            "_id": .objectID(id), "name": .string("Übergang über die Alpen, 2 Tage"), "short": .string(""),
            "count": .int32(-7), "version": .int64(1 << 40), "latitude": .double(45.5), "at": .date(stamp),
            "flag": .bool(true), "nested": .document(BSONDocument(["inner": .string("x")])),
            "waypoints": .array([
                .document(BSONDocument(["name": .string("A"), "latitude": .double(1.5)])),
                .document(BSONDocument(["name": .string("B"), "latitude": .int32(2)])),
            ]),
        ])
    }

    @Test func readsEachTypeItWrites() throws {
        let fields = sample.fields
        #expect(fields.objectID("_id") == id)
        #expect(fields.string("name") == "Übergang über die Alpen, 2 Tage")
        #expect(fields.string("short") == "")
        #expect(fields.integer("count") == -7)
        #expect(fields.integer("version") == 1 << 40)
        #expect(fields.double("latitude") == 45.5)
        #expect(fields.double("count") == -7)
        #expect(fields.integer("latitude") == 45)
        #expect(fields.date("at") == stamp)
        #expect(fields.document("nested")?.fields.string("inner") == "x")
        #expect(fields.array("waypoints") { BSONDocument(bytes: $0.value)?.fields.string("name") } == ["A", "B"])
        #expect(fields.array("waypoints") { BSONDocument(bytes: $0.value)?.fields.double("latitude") } == [1.5, 2])
        #expect(fields.array("waypoints") { $0.hasKey("1") ? 1 : nil } == nil)
    }

    @Test func aMissingFieldOrOneOfAnotherTypeReadsAsNil() {
        let fields = sample.fields
        #expect(fields.string("missing") == nil)
        #expect(fields.string("count") == nil)
        #expect(fields.integer("name") == nil)
        #expect(fields.date("version") == nil)
        #expect(fields.objectID("name") == nil)
        #expect(fields.array("nested") { $0 } == nil)
        #expect(fields.array("name") { $0 } == nil)
        #expect(BSONDocument(["nan": .double(.nan)]).fields.integer("nan") == nil)
    }

    @Test func aTripReadsItsWaypointsInOrderAndRefusesAMalformedOne() throws {
        let owner = OwnerID(id)
        let points = [Waypoint(name: "Geneva", latitude: 46.2, longitude: 6.1), Waypoint(name: "Milan", latitude: 45.5, longitude: 9.2)]
        let trip = Trip(TripDraft(name: "Alps", waypoints: points), owner: owner, at: .storeNow)
        let stored = Documents.trip(trip, ownerName: "alice", waypoints: points)
        #expect(try Documents.trip(stored) == trip)
        let missingLongitude = BSONDocument([
            "_id": .id(trip.id), "ownerId": .id(owner), "name": .string("Alps"),
            "waypoints": .array([.document(BSONDocument(["name": .string("Geneva"), "latitude": .double(46.2)]))]),
            "createdAt": .date(stamp), "updatedAt": .date(stamp), "version": .int64(1),
        ])
        #expect(throws: MongoFailure.self) { try Documents.trip(missingLongitude) }
    }

    /// Every truncation, and every byte of the document set to each of a few values, either walks into elements
    /// that lie inside the bytes or reads as malformed; none reads outside them.
    @Test func aDamagedDocumentNeverReadsOutsideItsBytes() {
        let document = sample
        let original = withExtendedLifetime(document) { Array(document.bytes) }
        var malformed = 0
        func check(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { buffer in
                guard let elements = BSONElement.walk(buffer) else {
                    malformed += 1
                    return
                }
                for element in elements {
                    for part in [element.key, element.value] where part.count > 0 {
                        #expect(part.baseAddress! >= buffer.baseAddress! && part.baseAddress! + part.count <= buffer.baseAddress! + buffer.count)
                    }
                    if element.type == .document || element.type == .array { check(Array(element.value)) }
                }
            }
        }
        for length in 0..<original.count { check(Array(original.prefix(length))) }
        for position in original.indices {
            for value: UInt8 in [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x0B, 0x10, 0x7F, 0x80, 0xFF] {
                var damaged = original
                damaged[position] = value
                check(damaged)
            }
        }
        #expect(malformed > original.count)
        #expect([UInt8]().withUnsafeBytes { BSONElement.walk($0) } == nil)
    }
}
