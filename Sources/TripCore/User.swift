import Foundation

public struct User: Hashable, Sendable, Codable {
    public let id: OwnerID
    public let username: String
    public let createdAt: Date

    public init(id: OwnerID, username: String, createdAt: Date) {
        self.id = id
        self.username = username
        self.createdAt = createdAt
    }
}

/// A user together with the bcrypt hash of their password, as only the store and authentication see it.
public struct Account: Hashable, Sendable {
    public let user: User
    public let passwordHash: String

    public init(user: User, passwordHash: String) {
        self.user = user
        self.passwordHash = passwordHash
    }
}

/// A bearer token as stored: only a digest of the token the client holds.
public struct AccessToken: Hashable, Sendable {
    public let digest: String
    public let owner: OwnerID
    public let expiresAt: Date

    public init(digest: String, owner: OwnerID, expiresAt: Date) {
        self.digest = digest
        self.owner = owner
        self.expiresAt = expiresAt
    }
}

extension String {
    /// With ASCII capitals made small, as usernames compare.
    public var lowercasedASCII: String {
        String(decoding: utf8.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
