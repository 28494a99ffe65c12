import JSON
import TripCore

/// A sign-up request that passed validation.
struct SignUp {
    let username: String
    let password: String

    init(validating json: JSONValue) throws(InvalidRecord) {
        var validator = FieldValidator()
        let fields = try validator.object(json)
        var username = validator.text(fields["username"], at: "/username", length: Limits.usernameLength)
        if let name = username, !UsernameRule.allows(name) {
            validator.fail("/username", "may hold only ASCII letters, digits, '.', '_' and '-'")
            username = nil
        }
        let password = validator.password(fields["password"], at: "/password")
        self.username = try validator.result(username)
        self.password = try validator.result(password)
    }
}

/// A password change that passed validation; the current password is checked against the account later.
struct PasswordChange {
    let currentPassword: String
    let newPassword: String

    init(validating json: JSONValue) throws(InvalidRecord) {
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
