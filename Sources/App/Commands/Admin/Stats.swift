import ArgumentParser
import TripCore

struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Counts accounts, trips, live tokens and shares, deleted trips and open throttle windows; the database's size.")

    @OptionGroup var options: AdminOptions

    func run() async throws {
        let statistics = try await options.withStore { store in try await store.statistics(at: WallClock.system.now) }
        var fields: [(String, Any)] = [
            ("accounts", statistics.accounts), ("trips", statistics.trips), ("tokens", statistics.tokens),
            ("shares", statistics.shares), ("tombstones", statistics.tombstones),
            ("throttleWindows", statistics.attemptWindows), ("auditEvents", statistics.auditEvents),
        ]
        if let bytes = statistics.databaseBytes { fields.append(("databaseBytes", bytes)) }
        if let version = statistics.serverVersion { fields.append(("serverVersion", version)) }
        if let replicaSet = statistics.replicaSet { fields.append(("replicaSet", replicaSet)) }
        if options.json {
            AdminConsole.print(AdminConsole.json(Dictionary(uniqueKeysWithValues: fields)))
        } else {
            AdminConsole.print(AdminConsole.table(fields.map { [$0.0, "\($0.1)"] }))
        }
    }
}
