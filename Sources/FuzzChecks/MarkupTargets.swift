import API
import JSON
import TripCore

extension FuzzTargets {
    /// GPX import: a document gives a trip that validation accepts or refuses with a 4xx, or is itself refused with
    /// a 4xx.
    static func gpx(_ bytes: UnsafeRawBufferPointer) {
        let trip: JSONValue
        do {
            trip = try GPXRoute.trip(from: Array(bytes))
        } catch {
            return checkClientError(error, "a GPX document")
        }
        do {
            _ = try TripDraft(validating: trip)
        } catch {
            checkClientError(error, "a trip from GPX")
        }
    }

    /// XML escaping: the escaped text, written as an element's content and as an attribute value, reads back as the
    /// input with every character XML forbids made U+FFFD, and as nothing else: no element or attribute appears.
    static func xmlEscaping(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        let expected = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.isXMLCharacter ? $0 : "\u{FFFD}" }))
        let escaped = XML.escaped(text)
        for document in [#"<r a="\#(escaped)">\#(escaped)</r>"#, "<r a='\(escaped)'>\(escaped)</r>"] {
            var events: [XMLReader.Event] = []
            var attributes: [String] = []
            do {
                var reader = try XMLReader(Array(document.utf8), maxAttributes: 2, maxDepth: 1)
                while let event = try reader.next() {
                    events.append(event)
                    if case .start = event { attributes += reader.attributes.flatMap { [$0.name, $0.value] } }
                }
            } catch {
                return check(false, "\(text.debugDescription) escaped is not well-formed: \(error)")
            }
            let content: [XMLReader.Event] = expected.isEmpty ? [] : [.text(expected)]
            check(events == [.start("r")] + content + [.end("r")], "\(text.debugDescription) escaped reads back as \(events)")
            check(attributes == ["a", expected], "\(text.debugDescription) escaped reads back as attributes \(attributes)")
        }
    }
}
