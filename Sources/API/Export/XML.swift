import Foundation

/// Writing text into XML and HTML: numbers as XML Schema spells them, strings escaped, and which characters XML allows.
enum XML {
    /// `value` as an `xsd:decimal`, which has no exponent: Swift's shortest spelling, unless that has one.
    static func decimal(_ value: Double) -> String {
        let shortest = "\(value)"
        guard shortest.contains("e") else { return shortest }
        var fixed = String(format: "%.12f", value)
        while fixed.hasSuffix("0") { fixed.removeLast() }
        return fixed.hasSuffix(".") ? fixed + "0" : fixed
    }

    /// `text` with the five characters XML gives meaning to escaped, fit for content and attribute values alike.
    static func escaped(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Whether XML 1.0 allows `scalar` in a document: tab, line feed, carriage return, and U+0020 up, but for the
    /// surrogates and U+FFFE and U+FFFF.
    static func allows(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
