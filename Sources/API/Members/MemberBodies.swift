import Foundation
import Hummingbird
import JSON
import TripCore

/// An invitation as its trip's owner sees it; `url` only in the answer that creates it, since only then is the token known.
struct InvitationBody: Encodable {
    let invitation: Invitation
    var url: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(invitation.id, forKey: .id)
        try container.encodeIfPresent(url, forKey: .url)
        try container.encode(invitation.role.rawValue, forKey: .role)
        try container.encode(invitation.createdAt, forKey: .createdAt)
        try container.encode(invitation.expiresAt, forKey: .expiresAt)
    }

    private enum Key: String, CodingKey {
        case id, url, role, createdAt, expiresAt
    }
}

struct MemberBody: Encodable {
    let username: String
    let role: String
    let joinedAt: Date

    init(_ member: Member) {
        username = member.username
        role = member.role.rawValue
        joinedAt = member.joinedAt
    }
}

/// `{"role": "viewer"|"editor", "expiresInDays": 1–30}`; the days default to `Limits.invitationDaysDefault`.
package struct InvitationRequest {
    package let role: TripRole
    package let expiresInDays: Int

    init(_ request: Request) async throws {
        try self.init(json: try await JSONValue.body(of: request))
    }

    package init(json: JSONValue) throws(InvalidRecord) {
        var validator = FieldValidator()
        let fields = try validator.object(json)
        role = validator.memberRole(fields["role"]) ?? .viewer
        switch fields["expiresInDays"] {
        case nil:
            expiresInDays = Limits.invitationDaysDefault
        case .number(let days)? where days.rounded() == days && Limits.invitationDays.contains(Int(exactly: days) ?? 0):
            expiresInDays = Int(days)
        default:
            validator.fail(
                "/expiresInDays",
                "must be a whole number of days from \(Limits.invitationDays.lowerBound) to \(Limits.invitationDays.upperBound)")
            expiresInDays = 0
        }
        _ = try validator.result(())
    }
}

/// `{"role": "viewer"|"editor"}`.
package struct RoleRequest {
    package let role: TripRole

    init(_ request: Request) async throws {
        try self.init(json: try await JSONValue.body(of: request))
    }

    package init(json: JSONValue) throws(InvalidRecord) {
        var validator = FieldValidator()
        let fields = try validator.object(json)
        let role = validator.memberRole(fields["role"])
        self.role = try validator.result(role ?? .viewer)
    }
}

extension FieldValidator {
    /// `/role`: "editor" or "viewer", required.
    mutating func memberRole(_ value: JSONValue?) -> TripRole? {
        guard case .string(let text)? = value, let role = TripRole(rawValue: text), role != .owner else {
            fail("/role", "must be \"editor\" or \"viewer\"")
            return nil
        }
        return role
    }
}
