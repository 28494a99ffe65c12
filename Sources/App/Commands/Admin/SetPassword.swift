import API
import ArgumentParser
import TripCore

struct SetPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-password",
        abstract: "Sets an account's password and revokes every token of it.",
        discussion: """
            The password is read from a prompt without echo on a terminal, asked twice, or else from the first line of \
            standard input; never from an argument, which other users can see. The API's rules apply: 8 to 72 bytes \
            of UTF-8.
            """)

    @OptionGroup var options: AdminOptions

    @Argument(help: "The username, in any ASCII case.")
    var username: String

    @Option(help: "bcrypt cost of the new hash, as the servers run  [env: BCRYPT_COST]")
    var bcryptCost = 12

    func run() async throws {
        try await options.withStore { store in
            try AdminConsole.require(bcryptCost, in: RecordLimits.bcryptCost, "--bcrypt-cost")
            let account = try await AdminConsole.account(username, in: store)
            let password = try Self.newPassword()
            let hasher = PasswordHasher(cost: bcryptCost, threads: 1)
            let hash: String
            do {
                hash = try await hasher.hash(password)
                try await hasher.close()
            } catch {
                try? await hasher.close()
                throw error
            }
            try await store.changePasswordHash(account.user.id, to: hash)
            try await AdminConsole.audit("users set-password", account: account.user.username, in: store)
            AdminConsole.print("set the password of \(account.user.username) and revoked its tokens")
        }
    }

    private static func newPassword() throws -> String {
        let terminal = AdminConsole.inputIsTerminal
        let password: String
        switch terminal ? AdminConsole.prompt("New password: ", secret: true) : AdminConsole.readInputLine() {
        case .line(let line): password = line
        case .end: throw CommandRefusal("no password was given")
        case .tooLong: throw CommandRefusal("the password's line is longer than 1024 bytes")
        case .notUTF8: throw CommandRefusal("the password must be UTF-8")
        }
        if let refusal = PasswordRule.refusal(of: password) { throw CommandRefusal("the password \(refusal)") }
        if terminal, AdminConsole.prompt("Repeat it: ", secret: true) != .line(password) {
            throw CommandRefusal("the two passwords differ")
        }
        return password
    }
}
