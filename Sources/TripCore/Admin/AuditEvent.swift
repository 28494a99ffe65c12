import Foundation

/// One change made through the admin commands: when, by which command, to which account, by whom and why.
public struct AuditEvent: Hashable, Sendable {
    public let id: ObjectID
    public let at: Date
    /// The command as typed, without its options' values: `users disable`.
    public let command: String
    /// The username the command acted on.
    public let account: String
    /// The operating-system user who ran it, and on which host.
    public let operatorName: String
    public let host: String
    public let reason: String?

    public init(id: ObjectID, at: Date, command: String, account: String, operatorName: String, host: String, reason: String?) {
        self.id = id
        self.at = at
        self.command = command
        self.account = account
        self.operatorName = operatorName
        self.host = host
        self.reason = reason
    }
}
