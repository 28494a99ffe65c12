import TripCore

/// Copies one store into another, empty one, in one pass without a file, then compares what each holds.
public struct StoreMigration {
    public let source: any ArchivableStore
    public let target: any ArchivableStore
    let clock: WallClock

    public init(from source: any ArchivableStore, to target: any ArchivableStore, clock: WallClock) {
        self.source = source
        self.target = target
        self.clock = clock
    }

    /// Throws `ArchiveError` naming each kind of record whose count or content differs once the copy is done.
    @discardableResult
    public func run(progress: (Int) -> ProgressMeter) async throws -> ArchiveTally {
        let importer = ArchiveImport(store: target, clock: clock)
        try await importer.requireEmpty()
        let export = StoreExport(store: source, now: clock.now)
        let meter = progress(try await export.expectedCount())
        var accounts = AccountHashes()
        let copied = try await export.pages { records, _ in
            for case .user(let account) in records { accounts[account.user.id] = account.passwordHash }
            try await importer.restore(records, accounts: accounts, progress: meter)
        }
        meter.finish(copied.summary)
        let landed = try await StoreExport(store: target, now: export.now).pages { _, _ in }
        let differences = copied.differences(from: landed, names: ("the source", "the target"))
        guard differences.isEmpty else {
            throw ArchiveError("after the copy the stores differ: " + differences.joined(separator: "; "))
        }
        return copied
    }
}
