import ArgumentParser

struct DeleteUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Deletes an account with its trips, tokens and shares, exactly as DELETE /users does.",
        discussion: "Asks for the username again on a terminal; elsewhere --yes is required.")

    @OptionGroup var options: AdminOptions

    @Argument(help: "The username, in any ASCII case.")
    var username: String

    @Flag(help: "Delete without asking.")
    var yes = false

    func run() async throws {
        try await options.withStore { store in
            let account = try await AdminConsole.account(username, in: store)
            if !yes {
                guard AdminConsole.inputIsTerminal else { throw CommandRefusal("deleting needs --yes when not run on a terminal") }
                let question = "Delete \(account.user.username) with \(account.tripsOwned) trips? Type the username to confirm: "
                guard AdminConsole.prompt(question) == .line(account.user.username) else { throw CommandRefusal("nothing was deleted") }
            }
            try await store.deleteUser(account.user.id)
            try await AdminConsole.audit("users delete", account: account.user.username, in: store)
            AdminConsole.print("deleted \(account.user.username)")
        }
    }
}
