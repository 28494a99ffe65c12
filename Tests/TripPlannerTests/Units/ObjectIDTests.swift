import Foundation
import Testing
import TripCore

@Suite struct ObjectIDTests {
    @Test func spellsAndParsesTwentyFourLowercaseHexDigits() throws {
        let text = "0123456789abcdef01234567"
        let id = try #require(ObjectID(text))
        #expect(id.description == text)
        #expect(id.bytes == [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67])
        #expect(ObjectID(bytes: id.bytes) == id)
    }

    @Test(arguments: ["", "0123456789abcdef0123456", "0123456789abcdef012345678", "0123456789ABCDEF01234567",
                      "0123456789abcdef0123456g", " 123456789abcdef01234567", "０123456789abcdef0123456"])
    func refusesAnyOtherSpelling(text: String) {
        #expect(ObjectID(text) == nil)
    }

    @Test func refusesTheWrongNumberOfBytes() {
        #expect(ObjectID(bytes: Array(repeating: 1, count: 11)) == nil)
        #expect(ObjectID(bytes: Array(repeating: 1, count: 13)) == nil)
    }

    @Test func startsWithTheSecondsAndKeepsTheProcessRandomInTheMiddle() throws {
        let date = Date(timeIntervalSince1970: 0x6543_2100)
        let first = ObjectID(date: date)
        let second = ObjectID(date: date)
        #expect(first.description.hasPrefix("65432100"))
        #expect(first.bytes[4..<9] == second.bytes[4..<9])
        #expect(first != second)
    }

    @Test func ordersAsTheirSpellingsDo() throws {
        let texts = ["ffffffff0000000000000000", "00000000ffffffffffffffff", "00000000000000000000000f", "0000000000000001ffffffff"]
        let parsed = try texts.map { try #require(ObjectID($0)) }
        #expect(parsed.sorted().map(\.description) == texts.sorted())
    }

    @Test func newIdsAreDistinct() {
        let ids = (0..<10_000).map { _ in ObjectID() }
        #expect(Set(ids).count == ids.count)
    }
}
