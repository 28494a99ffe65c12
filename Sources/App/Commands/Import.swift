import Archive
import ArgumentParser
import Foundation
import TripCore

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reads an archive that export wrote into a store, keeping ids, versions and timestamps.",
        discussion: """
            Without --merge the store must be empty, and the whole input is checked before anything is written. \
            Sync cursors of the old store are answered 410 by the new one, so clients sync again from scratch.

            An archive is trusted data, like a database dump: import only archives you made or vetted. Checked anyway: \
            each line's fields as the API checks them; bcrypt hashes well formed, cost 4 to 16; no id twice without \
            --merge; with --merge, nothing added to an account (tokens, trip versions, shares, deleted trips) unless \
            the archive carries its user line with the password hash the store holds; tokens expire at most 24 h \
            after the import.
            """)

    @Option(help: "sqlite:PATH or mongodb://HOST:PORT/DB  [env: DATABASE_URL]")
    var database: String

    @Option(help: "The archive to read; standard input when absent.")
    var input: String?

    @Flag(help: "Import into a store that is not empty: records are upserted by id, keeping a trip's higher version. May stop part way on bad input; running it again once the input is fixed completes it.")
    var merge = false

    func run() async throws {
        let descriptor = try input.map(Self.open) ?? STDIN_FILENO
        defer { if descriptor != STDIN_FILENO { close(descriptor) } }
        let clock = WallClock.system
        try await ArchiveCommand.withStores([database], clock: clock) { stores in
            let importer = ArchiveImport(store: stores[0], clock: clock)
            if merge {
                _ = try await importer.restore(from: descriptor, progress: ProgressMeter("imported", total: nil))
            } else {
                _ = try await importer.restoreChecked(from: descriptor) { total in
                    ProgressMeter(total == nil ? "checked" : "imported", total: total)
                }
            }
        }
    }

    private static func open(_ path: String) throws -> Int32 {
        let descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ValidationError("cannot open --input \(path): \(String(cString: strerror(errno)))")
        }
        return descriptor
    }
}
