/// Why an import or migrate stopped: a line of the input, or the stores, named in `description`.
public struct ArchiveError: Error, CustomStringConvertible {
    /// The input's line, counting from 1, when one line is at fault.
    public let line: Int?
    public let message: String

    public init(line: Int? = nil, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}
