import Foundation
import TripCore

/// Writing text into XML and HTML: numbers as XML Schema spells them, and strings escaped.
package enum XML {
    /// `value` as an `xsd:decimal`, which has no exponent: Swift's shortest spelling, unless that has one.
    static func decimal(_ value: Double) -> String {
        let shortest = "\(value)"
        guard shortest.contains("e") else { return shortest }
        var fixed = String(format: "%.12f", value)
        while fixed.hasSuffix("0") { fixed.removeLast() }
        return fixed.hasSuffix(".") ? fixed + "0" : fixed
    }

    /// `text` fit for element content and attribute values alike, in XML and HTML: the five characters markup gives
    /// meaning to escaped, tab, line feed and carriage return as references so that attribute values keep them, and
    /// any character XML 1.0 forbids replaced by U+FFFD. It walks Unicode scalars, never grapheme clusters: a `<`
    /// after a prepended concatenation mark such as U+0600 is one `Character` with it, and must still be escaped.
    package static func escaped(_ text: String) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped.append(contentsOf: "&amp;".unicodeScalars)
            case "<": escaped.append(contentsOf: "&lt;".unicodeScalars)
            case ">": escaped.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": escaped.append(contentsOf: "&quot;".unicodeScalars)
            case "'": escaped.append(contentsOf: "&apos;".unicodeScalars)
            case "\t": escaped.append(contentsOf: "&#9;".unicodeScalars)
            case "\n": escaped.append(contentsOf: "&#10;".unicodeScalars)
            case "\r": escaped.append(contentsOf: "&#13;".unicodeScalars)
            default: escaped.append(scalar.isXMLCharacter ? scalar : "\u{FFFD}")
            }
        }
        return String(escaped)
    }

}
