/// Opening and closing the database behind the other store protocols.
public protocol StoreLifecycle: Sendable {
    /// Creates or migrates the schema and indexes; runs before the server accepts requests.
    func prepare() async throws
    /// Returns when the database answers; throws `StoreError.unavailable` when it does not.
    func checkAvailability() async throws
    /// Finishes the calls already queued, then lets go of the database; later calls throw
    /// `StoreError.unavailable`. Safe to call more than once.
    func close() async throws
}
