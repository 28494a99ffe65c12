import JSON
import TripCore

/// A sign-up request that passed validation.
struct SignUp {
    let username: String
    let password: String

    init(validating json: JSONValue) throws(Problem) {
        var validator = FieldValidator()
        let fields = try validator.object(json)
        var username = validator.text(fields["username"], at: "/username", length: Limits.usernameLength)
        if let name = username, !Self.couldBeUsername(name) {
            validator.fail("/username", "may hold only ASCII letters, digits, '.', '_' and '-'")
            username = nil
        }
        let password = validator.password(fields["password"], at: "/password")
        self.username = try validator.result(username)
        self.password = try validator.result(password)
    }

    /// Whether some account could have this name; a login with any other fails before bcrypt.
    static func couldBeUsername(_ name: String) -> Bool {
        Limits.usernameLength.contains(name.utf8.count) && name.unicodeScalars.allSatisfy(usernameScalars.contains)
    }

    private static let usernameScalars = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".unicodeScalars
    )
}

/// A password change that passed validation; the current password is checked against the account later.
struct PasswordChange {
    let currentPassword: String
    let newPassword: String

    init(validating json: JSONValue) throws(Problem) {
        var validator = FieldValidator()
        let fields = try validator.object(json)
        var current: String?
        switch fields["currentPassword"] {
        case .string(let text): current = text
        case nil: validator.fail("/currentPassword", "is required")
        default: validator.fail("/currentPassword", "must be a string")
        }
        let new = validator.password(fields["newPassword"], at: "/newPassword")
        currentPassword = try validator.result(current)
        newPassword = try validator.result(new)
    }
}

extension FieldValidator {
    /// A new password, as `PasswordRule` has it.
    mutating func password(_ value: JSONValue?, at pointer: String) -> String? {
        switch value {
        case .string(let text):
            guard let refusal = PasswordRule.refusal(of: text) else { return text }
            fail(pointer, refusal)
        case nil:
            fail(pointer, "is required")
        default:
            fail(pointer, "must be a string")
        }
        return nil
    }
}

/// What a new password must be, through the API and `trip-planner users set-password` alike: 8 to 72 bytes of UTF-8,
/// bcrypt's limit, with no NUL, which bcrypt would stop at.
public enum PasswordRule {
    /// Why `password` may not be a new password, or nil when it may.
    public static func refusal(of password: String) -> String? {
        if password.utf8.contains(0) { return "must not contain U+0000" }
        guard Limits.passwordBytes.contains(password.utf8.count) else {
            return "must be \(Limits.passwordBytes.lowerBound) to \(Limits.passwordBytes.upperBound) bytes of UTF-8"
        }
        return nil
    }
}
