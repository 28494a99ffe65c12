/// Accounts: a username, unique in any ASCII case, and a password hash.
public protocol AccountStore: Sendable {
    /// Throws `StoreError.duplicateUsername` when the name is taken in any ASCII case.
    func createUser(username: String, passwordHash: String) async throws -> User
    /// The account of this username in any ASCII case, or nil.
    func account(username: String) async throws -> Account?
    /// Sets a new password hash and deletes every token of the account; throws `StoreError.notFound`
    /// for an unknown user.
    func changePasswordHash(_ owner: OwnerID, to passwordHash: String) async throws
    /// Deletes the user with their trips and tokens; throws `StoreError.notFound` for an unknown user.
    func deleteUser(_ id: OwnerID) async throws
}
