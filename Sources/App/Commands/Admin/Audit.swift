import ArgumentParser
import TripCore

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lists what the admin commands changed, newest first: when, which command, which account, who, from where, why.")

    @OptionGroup var options: AdminOptions

    @Option(help: "At most this many events, 1 to 10000.")
    var limit = 50

    func run() async throws {
        let events = try await options.withStore { store in
            try AdminConsole.require(limit, in: 1...10000, "--limit")
            return try await store.auditEvents(limit: limit)
        }
        if options.json {
            for event in events {
                var object: [String: Any] = [
                    "id": event.id.description, "at": AdminConsole.timestamp(event.at), "command": event.command,
                    "account": event.account, "operator": event.operatorName, "host": event.host,
                ]
                object["reason"] = event.reason
                AdminConsole.print(AdminConsole.json(object))
            }
        } else {
            AdminConsole.print(AdminConsole.table(
                [["AT", "COMMAND", "ACCOUNT", "OPERATOR", "HOST", "REASON"]]
                    + events.map {
                        [AdminConsole.timestamp($0.at), $0.command, $0.account, $0.operatorName, $0.host, $0.reason ?? ""]
                    }))
        }
    }
}
