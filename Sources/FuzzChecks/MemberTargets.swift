import API
import JSON
import TripCore

extension FuzzTargets {
    /// Bodies of `POST /trips/{id}/invitations` and `PUT /trips/{id}/members/{username}`, and the same bytes as a
    /// `?role=` or a member's name: an accepted body holds exactly the role and days it names (or the default days),
    /// within their bounds, and a refused one names the field; a name is looked up only when an account could have it.
    static func memberRequest(_ bytes: UnsafeRawBufferPointer) {
        if let json = try? JSONValue(parsing: bytes) {
            let fields: [String: JSONValue]? = if case .object(let fields) = json { fields } else { nil }
            do {
                let invitation = try InvitationRequest(json: json)
                check(TripRole.memberRoles.contains(invitation.role), "an invitation as \(invitation.role)")
                check(fields?["role"] == .string(invitation.role.rawValue), "the role \(invitation.role) was not the one sent")
                check(Limits.invitationDays.contains(invitation.expiresInDays), "\(invitation.expiresInDays) days")
                let days = fields?["expiresInDays"].map { $0 == .number(Double(invitation.expiresInDays)) }
                check(days ?? (invitation.expiresInDays == Limits.invitationDaysDefault), "the days were not the ones sent")
            } catch {
                checkClientError(error, "an invitation body")
                check(error.errors.allSatisfy { ["", "/role", "/expiresInDays"].contains($0.pointer) }, "\(error.errors)")
            }
            do {
                let role = try RoleRequest(json: json).role
                check(role != .owner && fields?["role"] == .string(role.rawValue), "the role \(role) was not the one sent")
            } catch {
                checkClientError(error, "a role body")
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if let role = TripRole(rawValue: text) { check(role.rawValue == text, "?role=\(text) read as \(role)") }
        if UsernameRule.allows(text) {
            check(RecordLimits.usernameLength.contains(text.count), "a name of \(text.count) characters")
            check(text.utf8.allSatisfy { $0 < 0x80 && $0 > 0x20 && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "%") }, "\(text.debugDescription)")
        }
    }
}
