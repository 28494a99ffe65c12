import Foundation

public struct User: Hashable, Sendable, Codable {
    public let id: OwnerID
    public let username: String
    public let createdAt: Date
    /// Disabled by an operator: every request authenticating as this user is refused. Never part of its JSON.
    public var isDisabled = false

    private enum CodingKeys: String, CodingKey { case id, username, createdAt }

    public init(id: OwnerID, username: String, createdAt: Date, isDisabled: Bool = false) {
        self.id = id
        self.username = username
        self.createdAt = createdAt
        self.isDisabled = isDisabled
    }
}

/// A user together with the bcrypt hash of their password, as only the store and authentication see it.
public struct Account: Hashable, Sendable {
    public let user: User
    public let passwordHash: String
    /// Set while the account is disabled; `user.isDisabled` says the same.
    public let disablement: Disablement?

    public init(user: User, passwordHash: String, disablement: Disablement? = nil) {
        var user = user
        user.isDisabled = disablement != nil
        self.user = user
        self.passwordHash = passwordHash
        self.disablement = disablement
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
