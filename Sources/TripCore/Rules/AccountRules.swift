/// What a username may be, through sign-up, a login and an archive alike: 3 to 64 ASCII letters, digits, '.', '_'
/// and '-'.
public enum UsernameRule {
    /// Whether some account could have this name; a login with any other fails before bcrypt.
    public static func allows(_ name: String) -> Bool {
        RecordLimits.usernameLength.contains(name.utf8.count) && name.unicodeScalars.allSatisfy(scalars.contains)
    }

    private static let scalars = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".unicodeScalars)
}

/// What a new password must be, through the API and `trip-planner users set-password` alike: 8 to 72 bytes of UTF-8,
/// bcrypt's limit, with no NUL, which bcrypt would stop at.
public enum PasswordRule {
    /// Why `password` may not be a new password, or nil when it may.
    public static func refusal(of password: String) -> String? {
        if password.utf8.contains(0) { return "must not contain U+0000" }
        guard RecordLimits.passwordBytes.contains(password.utf8.count) else {
            return "must be \(RecordLimits.passwordBytes.lowerBound) to \(RecordLimits.passwordBytes.upperBound) bytes of UTF-8"
        }
        return nil
    }
}
