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
        if let name = username, !name.unicodeScalars.allSatisfy(Self.usernameScalars.contains) {
            validator.fail("/username", "may hold only letters, digits, '.', '_' and '-'")
            username = nil
        }
        var password: String?
        switch fields["password"] {
        case .string(let text) where Limits.passwordBytes.contains(text.utf8.count):
            password = text
        case .string:
            validator.fail("/password", "must be \(Limits.passwordBytes.lowerBound) to \(Limits.passwordBytes.upperBound) bytes of UTF-8")
        case nil:
            validator.fail("/password", "is required")
        default:
            validator.fail("/password", "must be a string")
        }
        self.username = try validator.result(username)
        self.password = try validator.result(password)
    }

    private static let usernameScalars = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".unicodeScalars
    )
}
