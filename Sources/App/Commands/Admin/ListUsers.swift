import ArgumentParser
import TripCore

struct ListUsers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Lists accounts in username order: id, creation, trips, live tokens and shares, disabled or not.")

    @OptionGroup var options: AdminOptions

    @Option(help: "Start after this username, as the last one a previous page printed.")
    var after: String?

    @Option(help: "At most this many accounts, 1 to 1000.")
    var limit = 100

    func run() async throws {
        let accounts = try await options.withStore { store in
            try AdminConsole.require(limit, in: 1...1000, "--limit")
            return try await store.accountSummaries(after: after, limit: limit, at: WallClock.system.now)
        }
        if options.json {
            for account in accounts { AdminConsole.print(AdminConsole.json(account.jsonObject)) }
        } else {
            AdminConsole.print(AdminConsole.table([AccountSummary.tableHeader] + accounts.map(\.tableRow)))
        }
    }
}
