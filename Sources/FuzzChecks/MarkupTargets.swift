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

    /// XML escaping: the escaped text holds no `<`, `>`, quote, or `&` that does not begin one of the five entities, and
    /// unescapes to the input.
    static func xmlEscaping(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        let escaped = Array(XML.escaped(text).utf8)
        var unescaped: [UInt8] = []
        var index = 0
        while index < escaped.count {
            let byte = escaped[index]
            check(!Array("<>\"'".utf8).contains(byte), "\(text.debugDescription) escaped keeps a \(Character(Unicode.Scalar(byte)))")
            guard byte == UInt8(ascii: "&") else {
                unescaped.append(byte)
                index += 1
                continue
            }
            let entity = xmlEntities.first { escaped[index...].starts(with: $0.name.utf8) }
            guard let entity else { return check(false, "\(text.debugDescription) escaped has a bare &") }
            unescaped.append(entity.byte)
            index += entity.name.utf8.count
        }
        check(unescaped == Array(text.utf8), "\(text.debugDescription) escaped does not unescape to itself")
    }

    private static let xmlEntities: [(name: String, byte: UInt8)] = [
        ("&amp;", UInt8(ascii: "&")), ("&lt;", UInt8(ascii: "<")), ("&gt;", UInt8(ascii: ">")),
        ("&quot;", UInt8(ascii: "\"")), ("&apos;", UInt8(ascii: "'")),
    ]
}
