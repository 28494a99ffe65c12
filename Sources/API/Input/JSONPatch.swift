import JSON

/// An RFC 6902 JSON Patch limited to a trip's `/name` and `/waypoints`: applied whole or not at all.
package struct JSONPatch {
    private enum Kind: String { case add, remove, replace, move, copy, test }

    private struct Operation {
        let kind: Kind
        let path: JSONPointer
        let from: JSONPointer?
        let value: JSONValue?
    }

    private let operations: [Operation]

    /// A document that is not an array of well-formed operations on `/name` or `/waypoints` is a 400.
    package init(_ document: JSONValue) throws(Problem) {
        guard case .array(let items) = document, items.count <= Limits.patchOperations else {
            throw Problem(.badRequest, "A JSON Patch must be an array of at most \(Limits.patchOperations) operations.")
        }
        var operations: [Operation] = []
        for (index, item) in items.enumerated() {
            guard case .object(let fields) = item, case .string(let name)? = fields["op"], let kind = Kind(rawValue: name),
                case .string(let path)? = fields["path"], let pointer = JSONPointer(path)
            else {
                throw Problem(.badRequest, "Operation \(index) needs an op of add, remove, replace, move, copy or test and a path.")
            }
            var from: JSONPointer?
            if kind == .move || kind == .copy {
                guard case .string(let text)? = fields["from"], let source = JSONPointer(text) else {
                    throw Problem(.badRequest, "Operation \(index) (\(name)) needs a from.")
                }
                guard kind == .copy || !source.isProperPrefix(of: pointer) else {
                    throw Problem(.badRequest, "Operation \(index) moves a value into itself.")
                }
                from = source
            }
            let value = fields["value"]
            guard value != nil || [.remove, .move, .copy].contains(kind) else {
                throw Problem(.badRequest, "Operation \(index) (\(name)) needs a value.")
            }
            operations.append(Operation(kind: kind, path: pointer, from: from, value: value))
        }
        self.operations = operations
    }

    /// `document` with every operation applied in order; a failed `test` or a path that is not there is a 409, and a
    /// value that would end up nested deeper than a request body may be is a 422 before it is placed, so that copies
    /// cannot build a document deeper than any code that walks it expects.
    func applied(to document: JSONValue) throws(Problem) -> JSONValue {
        var document = document
        var copied = 0
        for operation in operations {
            switch operation.kind {
            case .add:
                try Self.refuseDeeperThanJSON(operation.value!, at: operation.path)
                document = try document.changing(operation.path, .add(operation.value!))
            case .remove:
                document = try document.changing(operation.path, .remove)
            case .replace:
                try Self.refuseDeeperThanJSON(operation.value!, at: operation.path)
                document = try document.changing(operation.path, .replace(operation.value!))
            case .move:
                let value = try document.value(at: operation.from!)
                try Self.refuseDeeperThanJSON(value, at: operation.path)
                document = try document.changing(operation.from!, .remove).changing(operation.path, .add(value))
            case .copy:
                let value = try document.value(at: operation.from!)
                copied += value.nodeCount
                guard copied <= Limits.patchCopiedValues else {
                    throw Problem(.unprocessableContent, "The patch copies more than a trip can hold.")
                }
                try Self.refuseDeeperThanJSON(value, at: operation.path)
                document = try document.changing(operation.path, .add(value))
            case .test:
                guard try document.value(at: operation.path) == operation.value! else {
                    throw Problem(.conflict, "The test at \(operation.path) failed; nothing was changed.")
                }
            }
        }
        return document
    }

    /// The document holds the value at `path` inside one array or object per token of the path.
    private static func refuseDeeperThanJSON(_ value: JSONValue, at path: JSONPointer) throws(Problem) {
        let room = JSONParser.maxDepth - path.tokens.count
        guard room >= 0, value.nesting(atMost: room) <= room else {
            throw Problem(.unprocessableContent, "The patch would nest the trip deeper than \(JSONParser.maxDepth) levels.")
        }
    }
}

/// An RFC 6901 pointer into a trip: `/name`, or `/waypoints` and what lies below it.
struct JSONPointer: CustomStringConvertible {
    let tokens: [String]
    let description: String

    init?(_ text: String) {
        guard text.hasPrefix("/") else { return nil }
        let tokens = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
        guard tokens.first == "name" && tokens.count == 1 || tokens.first == "waypoints" else { return nil }
        (self.tokens, description) = (tokens, text)
    }

    func isProperPrefix(of other: JSONPointer) -> Bool {
        tokens.count < other.tokens.count && Array(other.tokens.prefix(tokens.count)) == tokens
    }
}

extension JSONValue {
    fileprivate enum Change {
        case add(JSONValue), remove, replace(JSONValue)
    }

    fileprivate func value(at pointer: JSONPointer) throws(Problem) -> JSONValue {
        var value = self
        for token in pointer.tokens {
            switch value {
            case .object(let fields) where fields[token] != nil: value = fields[token]!
            case .array(let items): value = items[try Self.index(token, below: items.count, pointer)]
            default: throw Self.missing(pointer)
            }
        }
        return value
    }

    fileprivate func changing(_ pointer: JSONPointer, _ change: Change) throws(Problem) -> JSONValue {
        try changing(pointer.tokens[...], change, pointer)
    }

    private func changing(_ tokens: ArraySlice<String>, _ change: Change, _ pointer: JSONPointer) throws(Problem) -> JSONValue {
        let token = tokens.first!
        let rest = tokens.dropFirst()
        switch self {
        case .object(var fields):
            if !rest.isEmpty {
                guard let child = fields[token] else { throw Self.missing(pointer) }
                fields[token] = try child.changing(rest, change, pointer)
                return .object(fields)
            }
            switch change {
            case .add(let value): fields[token] = value
            case .replace(let value):
                guard fields[token] != nil else { throw Self.missing(pointer) }
                fields[token] = value
            case .remove:
                guard fields.removeValue(forKey: token) != nil else { throw Self.missing(pointer) }
            }
            return .object(fields)
        case .array(var items):
            if rest.isEmpty, token == "-", case .add(let value) = change {
                items.append(value)
                return .array(items)
            }
            let isInsert: Bool
            if case .add = change, rest.isEmpty { isInsert = true } else { isInsert = false }
            let index = try Self.index(token, below: items.count + (isInsert ? 1 : 0), pointer)
            if !rest.isEmpty {
                items[index] = try items[index].changing(rest, change, pointer)
                return .array(items)
            }
            switch change {
            case .add(let value): items.insert(value, at: index)
            case .replace(let value): items[index] = value
            case .remove: items.remove(at: index)
            }
            return .array(items)
        default:
            throw Self.missing(pointer)
        }
    }

    /// Arrays and objects on the deepest path through this value, counted no further than one past `limit`.
    fileprivate func nesting(atMost limit: Int) -> Int {
        guard limit >= 0 else { return 0 }
        switch self {
        case .array(let items): return 1 + items.reduce(0) { max($0, $1.nesting(atMost: limit - 1)) }
        case .object(let fields): return 1 + fields.values.reduce(0) { max($0, $1.nesting(atMost: limit - 1)) }
        default: return 0
        }
    }

    /// Values in this one, itself included, to bound what copies can add.
    fileprivate var nodeCount: Int {
        switch self {
        case .array(let items): 1 + items.reduce(0) { $0 + $1.nodeCount }
        case .object(let fields): 1 + fields.values.reduce(0) { $0 + $1.nodeCount }
        default: 1
        }
    }

    private static func index(_ token: String, below count: Int, _ pointer: JSONPointer) throws(Problem) -> Int {
        guard let index = Int(token), String(index) == token, index >= 0, index < count else { throw missing(pointer) }
        return index
    }

    private static func missing(_ pointer: JSONPointer) -> Problem {
        Problem(.conflict, "The trip has nothing at \(pointer); nothing was changed.")
    }
}
