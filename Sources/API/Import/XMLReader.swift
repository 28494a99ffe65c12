import TripCore

/// A strict streaming reader of XML 1.0 documents in UTF-8, written for bytes from strangers.
///
/// It reads elements, attributes, text, CDATA, comments, processing instructions, the five predefined entities and
/// numeric character references. A document type declaration is refused, so no entity is ever declared or expanded;
/// an encoding declaration may name only UTF-8; anything else malformed is refused. Every step moves forward over the
/// input, so the work is linear in its size, and attributes per element and the depth of elements are capped.
/// Names of elements are given without their namespace prefix; namespaces are not otherwise read.
package struct XMLReader {
    package enum Event: Equatable {
        case start(String)
        case end(String)
        case text(String)
    }

    package enum Failure: Error, Equatable {
        case notUTF8
        case doctype
        case tooManyAttributes
        case tooDeep
        case malformed(at: Int)
    }

    /// The attributes of the element the last `.start` opened, by qualified name, in document order.
    package private(set) var attributes: [(name: String, value: String)] = []

    private let bytes: [UInt8]
    private let maxAttributes: Int
    private let maxDepth: Int
    private var at = 0
    /// The qualified names of the open elements, as ranges of `bytes`.
    private var open: [Range<Int>] = []
    /// The names of `attributes`, as ranges of `bytes`.
    private var attributeNames: [Range<Int>] = []
    private var pendingEnd: String?
    private var rootSeen = false
    /// Decoded text and attribute values are assembled here, reused across events.
    private var scratch: [UInt8] = []

    package init(_ bytes: [UInt8], maxAttributes: Int, maxDepth: Int) throws(Failure) {
        self.bytes = bytes
        self.maxAttributes = maxAttributes
        self.maxDepth = maxDepth
        try Self.requireXMLCharacters(bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { at = 3 }
        try readDeclaration()
    }

    /// The next event, or nil after the root element has closed and only comments, processing instructions and white
    /// space follow.
    package mutating func next() throws(Failure) -> Event? {
        if let name = pendingEnd {
            pendingEnd = nil
            if open.isEmpty { rootSeen = true }
            return .end(name)
        }
        while true {
            if open.isEmpty {
                try skipMisc()
                guard at < bytes.count else {
                    guard rootSeen else { throw .malformed(at: at) }
                    return nil
                }
                guard !rootSeen, bytes[at] == UInt8(ascii: "<") else { throw .malformed(at: at) }
                return try startTag()
            }
            guard at < bytes.count else { throw .malformed(at: at) }
            guard bytes[at] == UInt8(ascii: "<") else { return .text(try text()) }
            if has("</") {
                return try endTag()
            } else if has("<!--") {
                try comment()
            } else if has("<![CDATA[") {
                return .text(try cdata())
            } else if has("<?") {
                try processingInstruction()
            } else if has("<!") {
                throw .malformed(at: at)
            } else {
                return try startTag()
            }
        }
    }

    // MARK: Characters

    /// Valid UTF-8 holding only characters XML 1.0 allows: no C0 control but tab, line feed and carriage return, and
    /// neither U+FFFE nor U+FFFF. A NUL is most likely UTF-16 or UTF-32, so it is reported as another encoding.
    private static func requireXMLCharacters(_ bytes: [UInt8]) throws(Failure) {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .notUTF8 }
        for index in bytes.indices {
            let byte = bytes[index]
            if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D {
                throw byte == 0 ? .notUTF8 : .malformed(at: index)
            }
            // In valid UTF-8, 0xEF only leads a sequence, and EF BF BE / EF BF BF are U+FFFE / U+FFFF.
            if byte == 0xEF, index + 2 < bytes.count, bytes[index + 1] == 0xBF, bytes[index + 2] >= 0xBE {
                throw .malformed(at: index)
            }
        }
    }

    /// The scalar of the valid UTF-8 sequence at `index`, and its length in bytes.
    private func scalar(at index: Int) -> (value: UInt32, length: Int)? {
        guard index < bytes.count else { return nil }
        let lead = UInt32(bytes[index])
        let (length, initial): (Int, UInt32) =
            switch lead {
            case ..<0x80: (1, lead)
            case 0xC0..<0xE0: (2, lead & 0x1F)
            case 0xE0..<0xF0: (3, lead & 0x0F)
            default: (4, lead & 0x07)
            }
        guard index + length <= bytes.count else { return nil }
        var value = initial
        for offset in 1..<length {
            value = value << 6 | UInt32(bytes[index + offset] & 0x3F)
        }
        return (value, length)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func isNameStart(_ value: UInt32) -> Bool {
        switch value {
        case 0x41...0x5A, 0x61...0x7A, 0x5F, 0x3A: true
        case 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D, 0x37F...0x1FFF, 0x200C...0x200D: true
        case 0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFFD, 0x10000...0xEFFFF: true
        default: false
        }
    }

    private static func isName(_ value: UInt32) -> Bool {
        switch value {
        case 0x2D, 0x2E, 0x30...0x39, 0xB7, 0x300...0x36F, 0x203F...0x2040: true
        default: isNameStart(value)
        }
    }

    // MARK: Scanning

    private func has(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard at + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { expected in
            for offset in 0..<count where bytes[at + offset] != expected[offset] { return false }
            return true
        }
    }

    private mutating func expect(_ literal: StaticString) throws(Failure) {
        guard has(literal) else { throw .malformed(at: at) }
        at += literal.utf8CodeUnitCount
    }

    /// Skips white space and says whether there was any.
    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = at
        while at < bytes.count, Self.isWhitespace(bytes[at]) { at += 1 }
        return at > start
    }

    /// The bytes of a name at `at`, which it moves past: a namespace-qualified name, with at most one colon, neither
    /// first nor last, and a name's first character after it, unless `qualified` is false.
    private mutating func name(qualified: Bool = true) throws(Failure) -> Range<Int> {
        let start = at
        var colons = 0
        var startsName = true
        while let (value, length) = scalar(at: at), startsName ? Self.isNameStart(value) : Self.isName(value) {
            if value == 0x3A { colons += 1 }
            startsName = qualified && value == 0x3A
            at += length
        }
        guard at > start else { throw .malformed(at: start) }
        if qualified, colons > 0 {
            guard colons == 1, bytes[start] != 0x3A, bytes[at - 1] != 0x3A else { throw .malformed(at: start) }
        }
        return start..<at
    }

    private func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    private func localName(_ range: Range<Int>) -> String {
        let start = bytes[range].firstIndex(of: 0x3A).map { $0 + 1 } ?? range.lowerBound
        return string(start..<range.upperBound)
    }

    // MARK: Prolog

    /// `<?xml version="1.x" encoding="…" standalone="…"?>`, each part but the version optional, only UTF-8 named.
    private mutating func readDeclaration() throws(Failure) {
        guard has("<?xml"), at + 5 < bytes.count, Self.isWhitespace(bytes[at + 5]) else { return }
        at += 5
        skipWhitespace()
        try expect("version")
        let version = try pseudoAttributeValue()
        guard version.count >= 3, version.starts(with: Array("1.".utf8)),
            version.dropFirst(2).allSatisfy({ (0x30...0x39).contains($0) })
        else { throw .malformed(at: at) }
        var spaced = skipWhitespace()
        if spaced, has("encoding") {
            at += 8
            let encoding = try pseudoAttributeValue()
            guard encoding.map({ $0 | 0x20 }) == Array("utf-8".utf8) else { throw .notUTF8 }
            spaced = skipWhitespace()
        }
        if spaced, has("standalone") {
            at += 10
            let standalone = try pseudoAttributeValue()
            guard standalone.elementsEqual("yes".utf8) || standalone.elementsEqual("no".utf8) else { throw .malformed(at: at) }
            skipWhitespace()
        }
        try expect("?>")
    }

    /// `= "value"` of the XML declaration, whose values hold only ASCII letters, digits, `.`, `_` and `-`.
    private mutating func pseudoAttributeValue() throws(Failure) -> ArraySlice<UInt8> {
        skipWhitespace()
        try expect("=")
        skipWhitespace()
        guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") || bytes[at] == UInt8(ascii: "'") else {
            throw .malformed(at: at)
        }
        let quote = bytes[at]
        at += 1
        let start = at
        while at < bytes.count, bytes[at] != quote {
            switch bytes[at] {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2E, 0x5F, 0x2D: break
            default: throw .malformed(at: at)
            }
            at += 1
        }
        guard at < bytes.count else { throw .malformed(at: at) }
        at += 1
        return bytes[start..<(at - 1)]
    }

    /// White space, comments and processing instructions around the root element; a DOCTYPE before it is refused.
    private mutating func skipMisc() throws(Failure) {
        while at < bytes.count {
            if skipWhitespace() {
                continue
            } else if has("<!--") {
                try comment()
            } else if has("<?") {
                try processingInstruction()
            } else if has("<!DOCTYPE") {
                throw .doctype
            } else {
                return
            }
        }
    }

    // MARK: Markup

    private mutating func comment() throws(Failure) {
        at += 4
        while at + 1 < bytes.count {
            if bytes[at] == UInt8(ascii: "-"), bytes[at + 1] == UInt8(ascii: "-") {
                guard at + 2 < bytes.count, bytes[at + 2] == UInt8(ascii: ">") else { throw .malformed(at: at) }
                at += 3
                return
            }
            at += 1
        }
        throw .malformed(at: at)
    }

    /// `<?target …?>`, whose target may not be `xml` in any case: a declaration is only allowed first.
    private mutating func processingInstruction() throws(Failure) {
        at += 2
        let target = try name(qualified: false)
        guard !(target.count == 3 && bytes[target].map({ $0 | 0x20 }) == Array("xml".utf8)) else {
            throw .malformed(at: target.lowerBound)
        }
        if has("?>") {
            at += 2
            return
        }
        guard skipWhitespace() else { throw .malformed(at: at) }
        while at + 1 < bytes.count {
            if bytes[at] == UInt8(ascii: "?"), bytes[at + 1] == UInt8(ascii: ">") {
                at += 2
                return
            }
            at += 1
        }
        throw .malformed(at: at)
    }

    private mutating func cdata() throws(Failure) -> String {
        at += 9
        scratch.removeAll(keepingCapacity: true)
        while at + 2 < bytes.count {
            if bytes[at] == UInt8(ascii: "]"), bytes[at + 1] == UInt8(ascii: "]"), bytes[at + 2] == UInt8(ascii: ">") {
                at += 3
                return String(decoding: scratch, as: UTF8.self)
            }
            appendNormalizingLineEnd(inAttribute: false)
        }
        throw .malformed(at: at)
    }

    /// Character data up to the next `<`, with references replaced and line ends made line feeds.
    private mutating func text() throws(Failure) -> String {
        scratch.removeAll(keepingCapacity: true)
        while at < bytes.count, bytes[at] != UInt8(ascii: "<") {
            if bytes[at] == UInt8(ascii: "&") {
                try reference()
            } else {
                if has("]]>") { throw .malformed(at: at) }
                appendNormalizingLineEnd(inAttribute: false)
            }
        }
        return String(decoding: scratch, as: UTF8.self)
    }

    /// Appends the byte at `at` and moves past it; a carriage return, with a line feed after it or not, is one line
    /// feed, and in an attribute value every white space character is a space.
    private mutating func appendNormalizingLineEnd(inAttribute: Bool) {
        let byte = bytes[at]
        at += 1
        if byte == 0x0D {
            if at < bytes.count, bytes[at] == 0x0A { at += 1 }
            scratch.append(inAttribute ? 0x20 : 0x0A)
        } else if inAttribute, byte == 0x09 || byte == 0x0A {
            scratch.append(0x20)
        } else {
            scratch.append(byte)
        }
    }

    /// `&lt;`, `&gt;`, `&amp;`, `&quot;`, `&apos;`, `&#…;` or `&#x…;` naming a character XML allows; no other entity
    /// exists without a DTD.
    private mutating func reference() throws(Failure) {
        let start = at
        at += 1
        if let (length, byte) = predefinedEntity() {
            at += length
            scratch.append(byte)
            return
        }
        try expect("#")
        let hexadecimal = has("x")
        if hexadecimal { at += 1 }
        var value: UInt32 = 0
        let digitsStart = at
        while at < bytes.count, bytes[at] != UInt8(ascii: ";") {
            let byte = bytes[at]
            let digit: UInt32? =
                switch byte {
                case 0x30...0x39: UInt32(byte - 0x30)
                case 0x61...0x66 where hexadecimal: UInt32(byte - 0x61 + 10)
                case 0x41...0x46 where hexadecimal: UInt32(byte - 0x41 + 10)
                default: nil
                }
            guard let digit else { throw .malformed(at: at) }
            value = value * (hexadecimal ? 16 : 10) + digit
            guard value <= 0x10FFFF else { throw .malformed(at: start) }
            at += 1
        }
        guard at > digitsStart, at < bytes.count, let scalar = Unicode.Scalar(value), scalar.isXMLCharacter else {
            throw .malformed(at: start)
        }
        at += 1
        scratch.append(contentsOf: UTF8.encode(scalar)!)
    }

    /// The length of the predefined entity's name and `;` at `at`, and the character it stands for.
    private func predefinedEntity() -> (Int, UInt8)? {
        if has("lt;") { (3, UInt8(ascii: "<")) }
        else if has("gt;") { (3, UInt8(ascii: ">")) }
        else if has("amp;") { (4, UInt8(ascii: "&")) }
        else if has("quot;") { (5, UInt8(ascii: "\"")) }
        else if has("apos;") { (5, UInt8(ascii: "'")) }
        else { nil }
    }

    private mutating func startTag() throws(Failure) -> Event {
        guard open.count < maxDepth else { throw .tooDeep }
        at += 1
        let element = try name()
        attributes.removeAll(keepingCapacity: true)
        attributeNames.removeAll(keepingCapacity: true)
        while true {
            let spaced = skipWhitespace()
            if has("/>") {
                at += 2
                let local = localName(element)
                pendingEnd = local
                return .start(local)
            }
            if has(">") {
                at += 1
                open.append(element)
                return .start(localName(element))
            }
            guard spaced, at < bytes.count else { throw .malformed(at: at) }
            guard attributes.count < maxAttributes else { throw .tooManyAttributes }
            let attribute = try name()
            // Names are equal as bytes, not as Strings, which are equal when canonically equivalent.
            guard !attributeNames.contains(where: { $0.count == attribute.count && bytes[$0] == bytes[attribute] }) else {
                throw .malformed(at: attribute.lowerBound)
            }
            attributeNames.append(attribute)
            skipWhitespace()
            try expect("=")
            skipWhitespace()
            attributes.append((string(attribute), try attributeValue()))
        }
    }

    private mutating func attributeValue() throws(Failure) -> String {
        guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") || bytes[at] == UInt8(ascii: "'") else {
            throw .malformed(at: at)
        }
        let quote = bytes[at]
        at += 1
        scratch.removeAll(keepingCapacity: true)
        while at < bytes.count, bytes[at] != quote {
            switch bytes[at] {
            case UInt8(ascii: "<"): throw .malformed(at: at)
            case UInt8(ascii: "&"): try reference()
            default: appendNormalizingLineEnd(inAttribute: true)
            }
        }
        guard at < bytes.count else { throw .malformed(at: at) }
        at += 1
        return String(decoding: scratch, as: UTF8.self)
    }

    private mutating func endTag() throws(Failure) -> Event {
        let start = at
        at += 2
        let element = try name()
        skipWhitespace()
        try expect(">")
        guard let innermost = open.last, bytes[innermost] == bytes[element] else { throw .malformed(at: start) }
        open.removeLast()
        if open.isEmpty { rootSeen = true }
        return .end(localName(element))
    }
}
