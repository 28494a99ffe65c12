import ArgumentParser

struct RevokeTokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke-tokens", abstract: "Revokes every bearer token of an account, as for a stolen phone.")

    @OptionGroup var options: AdminOptions

    @Argument(help: "The username, in any ASCII case.")
    var username: String

    func run() async throws {
        try await options.withStore { store in
            let account = try await AdminConsole.account(username, in: store)
            let revoked = try await store.revokeTokens(of: account.user.id)
            try await AdminConsole.audit("users revoke-tokens", account: account.user.username, in: store)
            AdminConsole.print("revoked \(revoked) token\(revoked == 1 ? "" : "s") of \(account.user.username)")
        }
    }
}
