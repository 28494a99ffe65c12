/// The id of one kind of record: an `ObjectID` that the compiler will not take for another kind's id.
public struct RecordID<Record>: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let objectID: ObjectID

    public init(_ objectID: ObjectID = ObjectID()) {
        self.objectID = objectID
    }

    /// Parses exactly 24 lowercase hex digits, the only spelling this server hands out.
    public init?(_ hex: String) {
        guard let objectID = ObjectID(hex) else { return nil }
        self.objectID = objectID
    }

    public var description: String { objectID.description }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.objectID < rhs.objectID
    }
}

/// The id of a user, who owns trips and tokens.
public typealias OwnerID = RecordID<User>
public typealias TripID = RecordID<Trip>

extension RecordID: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let id = Self(try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a 24-hex id")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
