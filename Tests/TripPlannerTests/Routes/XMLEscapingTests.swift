@testable import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TripCore

/// `XML.escaped` makes any string inert in markup: parsed back as element content or an attribute value, it is the
/// same string, and no element or attribute appears that was not written.
@Suite struct XMLEscapingTests {
    /// Prepended concatenation marks, which Unicode joins with the character after them into one grapheme cluster.
    static let prepended: [UInt32] = [0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x6DD, 0x70F, 0x8E2, 0x110BD, 0x110CD]

    /// Strings heavy on markup characters, combining marks and prepended marks, with any other scalar too.
    static func strings(_ count: Int, seed: UInt64) -> [String] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...24, using: &random) {
                let value: UInt32 =
                    switch Int.random(in: 0..<6, using: &random) {
                    case 0: Array("<>&\"'".unicodeScalars).randomElement(using: &random)!.value
                    case 1: UInt32.random(in: 0x300...0x36F, using: &random)
                    case 2: prepended.randomElement(using: &random)!
                    case 3: UInt32.random(in: 0...0x7F, using: &random)
                    case 4: [0x9, 0xA, 0xD, 0xFFFE, 0xFFFF, 0x85, 0x2028].randomElement(using: &random)!
                    default: UInt32.random(in: 0...0x10FFFF, using: &random)
                    }
                scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            }
            return String(scalars)
        }
    }

    /// What a parser gives back: the string with every character XML forbids made U+FFFD.
    static func expected(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.isXMLCharacter ? $0 : "\u{FFFD}" }))
    }

    @Test func escapedTextReadsBackAsItselfAsContentAndAsAttributeValues() throws {
        for text in Self.strings(3000, seed: 24) + ["\u{600}<meta http-equiv=refresh content=0>\u{600}>", "\u{600}\"a\u{600}'"] {
            let escaped = XML.escaped(text)
            for document in [#"<r a="\#(escaped)">\#(escaped)</r>"#, "<r a='\(escaped)'>\(escaped)</r>"] {
                var reader = try XMLReader(Array(document.utf8), maxAttributes: 2, maxDepth: 1)
                var events: [XMLReader.Event] = []
                var attributes: [String] = []
                while let event = try reader.next() {
                    events.append(event)
                    if case .start = event { attributes += reader.attributes.flatMap { [$0.name, $0.value] } }
                }
                let content: [XMLReader.Event] = Self.expected(text).isEmpty ? [] : [.text(Self.expected(text))]
                #expect(events == [.start("r")] + content + [.end("r")], "\(text.unicodeScalars.map(\.value))")
                #expect(attributes == ["a", Self.expected(text)], "\(text.unicodeScalars.map(\.value))")
            }
        }
    }

    @Test func pythonsXMLParserReadsEscapedTextBackAsItself() async throws {
        let texts = Self.strings(300, seed: 1066)
        let batch = "<batch>" + texts.map { #"<r a="\#(XML.escaped($0))">\#(XML.escaped($0))</r>"# }.joined() + "</batch>"
        let read = try await PythonCheck.run(#"""
            import json, sys, xml.etree.ElementTree as ET
            root = ET.fromstring(sys.stdin.buffer.read())
            print(json.dumps([[r.tag, r.attrib, r.text or "", len(r)] for r in root]))
            """#, input: batch)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(read.utf8)) as? [[Any]])
        try #require(rows.count == texts.count)
        for (row, text) in zip(rows, texts) {
            #expect(row[0] as? String == "r")
            #expect(row[1] as? [String: String] == ["a": Self.expected(text)], "\(text.unicodeScalars.map(\.value))")
            #expect(row[2] as? String == Self.expected(text), "\(text.unicodeScalars.map(\.value))")
            #expect(row[3] as? Int == 0)
        }
    }

    @Test
    func aNameWithPrependedMarksInjectsNothingIntoTheSharedPageOrGPX() async throws {
        let name = "\u{600}<meta http-equiv=refresh content=0;url=http://example.invalid/pwned \u{600}>"
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            let trip = try await client.createTrip(
                auth, #"{"name":"\#(name)","waypoints":[{"name":"\#(name)","latitude":45.76,"longitude":4.83}]}"#)
            let id = try #require(trip["id"] as? String)
            let share = try await client.execute(uri: "/trips/\(id)/shares", method: .post, headers: auth)
            let page = String(buffer: try await client.execute(uri: try #require(share.object["url"] as? String), method: .get).body)
            #expect(page.components(separatedBy: "<meta").count == 3, "only the page's own charset and viewport")
            #expect(!page.contains("<meta http-equiv"))
            #expect(page.contains("\u{600}&lt;meta http-equiv=refresh content=0;url=http://example.invalid/pwned \u{600}&gt;"))

            let gpx = try await client.execute(uri: "/trips/\(id)?format=gpx", method: .get, headers: auth)
            var reader = try XMLReader(Array(buffer: gpx.body), maxAttributes: 8, maxDepth: 8)
            var elements: [String] = []
            var names: [String] = []
            var inName = false
            while let event = try reader.next() {
                switch event {
                case .start(let element):
                    elements.append(element)
                    inName = element == "name"
                case .text(let text) where inName: names.append(text)
                default: inName = false
                }
            }
            #expect(elements == ["gpx", "metadata", "name", "rte", "name", "rtept", "name"])
            #expect(names == [name, name, name])
        }
    }

    @Test
    func namesMayHoldNoCharacterXMLForbids() async throws {
        try await withApp(.sqliteMemory) { client in
            let auth = try await client.signUp("alice")
            for forbidden in ["\\u0001", "\\u001f", "\\ufffe", "\\uffff"] {
                let trip = try await client.executeJSON(
                    uri: "/trips", method: .post, headers: auth, body: json(#"{"name":"a\#(forbidden)b","waypoints":[]}"#))
                expectProblem(trip, .unprocessableContent)
                let waypoint = try await client.executeJSON(
                    uri: "/trips", method: .post, headers: auth,
                    body: json(#"{"name":"a","waypoints":[{"name":"\#(forbidden)","latitude":1,"longitude":2}]}"#))
                expectProblem(waypoint, .unprocessableContent)
            }
            #expect(try await client.execute(uri: "/trips", method: .get, headers: auth).array.isEmpty)
        }
    }
}
