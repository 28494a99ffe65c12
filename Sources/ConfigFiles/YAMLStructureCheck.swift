/// Finds what a config file in YAML may not hold: an anchor (`&name`) or alias (`*name`), which let a small file
/// expand into a vast one, or flow collections (`[`, `{`) nested deeper than `maxFlowDepth`. One pass over the
/// bytes, linear in their number. It reads `&` and `*` as YAML does only where a node starts: at the start of a line,
/// after `- `, `? `, `: `, a tag, or inside `[ ]` and `{ }` after `[`, `{` and `,`. Inside quoted scalars, comments,
/// block scalars (`|`, `>`) and in the middle of a plain scalar (`a*b`) they are text. Where it cannot be sure it
/// refuses: an honest config file never needs an anchor.
package struct YAMLStructureCheck {
    package static let maxFlowDepth = 32

    package struct Refusal: Error, Equatable {
        package let line: Int
        package let reason: String
    }

    private enum Quote { case none, single, double }

    package static func check(_ bytes: [UInt8]) throws(Refusal) {
        var line = 1
        var quote = Quote.none
        var flowDepth = 0
        /// Whether the next non-blank byte begins a node, where `&` and `*` are indicators.
        var nodeStart = true
        var atLineStart = true
        var indent = 0
        /// The indentation of the line that opened a block scalar; lines indented deeper are its text.
        var blockScalarParent: Int?
        var index = 0

        func byte(_ offset: Int) -> UInt8? { offset < bytes.count ? bytes[offset] : nil }
        func isBlank(_ byte: UInt8?) -> Bool { byte == nil || byte == .space || byte == .tab || byte == .newline || byte == .return }

        while index < bytes.count {
            let current = bytes[index]
            if current == .newline {
                line += 1
                (atLineStart, indent) = (true, 0)
                if quote == .none && flowDepth == 0 { nodeStart = true }
                index += 1
                continue
            }
            if atLineStart, quote == .none {
                if current == .space {
                    indent += 1
                    index += 1
                    continue
                }
                atLineStart = false
                if let parent = blockScalarParent {
                    if indent > parent || current == .return {
                        index = Self.endOfLine(bytes, from: index)
                        continue
                    }
                    blockScalarParent = nil
                }
            }
            if quote != .none { atLineStart = false }
            switch quote {
            case .double:
                if current == .backslash {
                    index += byte(index + 1) == .newline ? 1 : 2
                    continue
                }
                if current == .doubleQuote { quote = .none }
                index += 1
                continue
            case .single:
                if current == .singleQuote {
                    if byte(index + 1) == .singleQuote {
                        index += 2
                        continue
                    }
                    quote = .none
                }
                index += 1
                continue
            case .none:
                break
            }
            let previous = index > 0 ? bytes[index - 1] : nil
            switch current {
            case .space, .tab, .return:
                index += 1
                continue
            case .hash where isBlank(previous) || previous == nil:
                index = Self.endOfLine(bytes, from: index)
                continue
            case .ampersand where nodeStart, .asterisk where nodeStart:
                throw Refusal(line: line, reason: "YAML anchors and aliases (& and *) are not accepted")
            case .doubleQuote where nodeStart:
                (quote, nodeStart) = (.double, false)
            case .singleQuote where nodeStart:
                (quote, nodeStart) = (.single, false)
            case .openBracket where nodeStart || flowDepth > 0, .openBrace where nodeStart || flowDepth > 0:
                flowDepth += 1
                guard flowDepth <= Self.maxFlowDepth else {
                    throw Refusal(line: line, reason: "[ and { are nested more than \(Self.maxFlowDepth) deep")
                }
                nodeStart = true
            case .closeBracket where flowDepth > 0, .closeBrace where flowDepth > 0:
                flowDepth -= 1
                nodeStart = false
            case .comma where flowDepth > 0:
                nodeStart = true
            case .colon where flowDepth > 0 || isBlank(byte(index + 1)):
                nodeStart = true
            case .dash where nodeStart && isBlank(byte(index + 1)), .questionMark where nodeStart && isBlank(byte(index + 1)):
                nodeStart = true
            case .dash where nodeStart && byte(index + 1) == .dash && byte(index + 2) == .dash && isBlank(byte(index + 3)):
                index += 3
                continue
            case .exclamation where nodeStart:
                index = Self.endOfToken(bytes, from: index)
                continue
            case .pipe where nodeStart && flowDepth == 0, .greaterThan where nodeStart && flowDepth == 0:
                blockScalarParent = indent
                index = Self.endOfLine(bytes, from: index)
                continue
            default:
                nodeStart = false
            }
            index += 1
        }
    }

    private static func endOfLine(_ bytes: [UInt8], from start: Int) -> Int {
        bytes[start...].firstIndex(of: .newline) ?? bytes.count
    }

    /// Past a tag such as `!!str`, to the blank or flow indicator after it, where a node still starts.
    private static func endOfToken(_ bytes: [UInt8], from start: Int) -> Int {
        bytes[start...].firstIndex { Self.tagEnds.contains($0) } ?? bytes.count
    }

    private static let tagEnds: Set<UInt8> = [.space, .tab, .newline, .return, .comma, .openBracket, .closeBracket, .openBrace, .closeBrace]
}

extension UInt8 {
    fileprivate static let space = UInt8(ascii: " ")
    fileprivate static let tab = UInt8(ascii: "\t")
    fileprivate static let newline = UInt8(ascii: "\n")
    fileprivate static let `return` = UInt8(ascii: "\r")
    fileprivate static let backslash = UInt8(ascii: "\\")
    fileprivate static let doubleQuote = UInt8(ascii: "\"")
    fileprivate static let singleQuote = UInt8(ascii: "'")
    fileprivate static let hash = UInt8(ascii: "#")
    fileprivate static let ampersand = UInt8(ascii: "&")
    fileprivate static let asterisk = UInt8(ascii: "*")
    fileprivate static let openBracket = UInt8(ascii: "[")
    fileprivate static let closeBracket = UInt8(ascii: "]")
    fileprivate static let openBrace = UInt8(ascii: "{")
    fileprivate static let closeBrace = UInt8(ascii: "}")
    fileprivate static let comma = UInt8(ascii: ",")
    fileprivate static let colon = UInt8(ascii: ":")
    fileprivate static let dash = UInt8(ascii: "-")
    fileprivate static let questionMark = UInt8(ascii: "?")
    fileprivate static let exclamation = UInt8(ascii: "!")
    fileprivate static let pipe = UInt8(ascii: "|")
    fileprivate static let greaterThan = UInt8(ascii: ">")
}
