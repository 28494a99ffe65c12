import Foundation
import JSON
import TripCore

/// Reads a whole store page by page in archive order: users, tokens, each trip followed by its shares, members and
/// pending invitations, tombstones.
/// Each kind is read in key order, so two stores holding the same records read the same.
public struct StoreExport {
    public let store: any ArchivableStore
    /// Tokens expired by then are left out.
    public let now: Date
    public static let pageSize = 500

    public init(store: any ArchivableStore, now: Date) {
        self.store = store
        self.now = now
    }

    /// How many records the export will hold, give or take the writes made meanwhile.
    public func expectedCount() async throws -> Int {
        try await store.archiveCounts(at: now).values.reduce(0, +)
    }

    /// Calls `body` with each page of records in turn, and returns the tally of their lines.
    @discardableResult
    public func pages(_ body: ([ArchiveRecord], _ lines: [UInt8]) async throws -> Void) async throws -> ArchiveTally {
        var tally = ArchiveTally()
        func emit(_ records: [ArchiveRecord]) async throws {
            var lines = JSONWriter(capacity: 256 * records.count)
            for record in records {
                let start = lines.bytes.count
                ArchiveLine.write(record, into: &lines)
                tally.add(record.kind, line: Array(lines.bytes[start...]))
            }
            try await body(records, lines.bytes)
        }
        for kind in [ArchiveRecord.Kind.user, .token] {
            try await each(kind) { try await emit($0) }
        }
        var children = [ArchiveRecord.Kind.share, .member, .invitation].map { TripChildren(reader: store.archiveReader($0, at: now)) }
        do {
            try await each(.trip) { trips in
                var page: [ArchiveRecord] = []
                for trip in trips {
                    page.append(trip)
                    for index in children.indices { page += try await children[index].take(of: trip.archiveKey) }
                }
                try await emit(page)
            }
        } catch {
            for child in children { await child.reader.close() }
            throw error
        }
        for child in children { await child.reader.close() }
        for kind in [ArchiveRecord.Kind.tombstone, .audit] {
            try await each(kind) { try await emit($0) }
        }
        return tally
    }

    /// Writes the archive to `descriptor`, header first, and on a regular file waits until it is on disk.
    public func write(to descriptor: Int32, progress: ProgressMeter) async throws -> ArchiveTally {
        let output = ArchiveOutput(descriptor: descriptor)
        try await output.append(ArchiveLine.header)
        let tally = try await pages { records, lines in
            try await output.append(lines)
            progress.advance(by: records.count)
        }
        try await output.flush(sync: true)
        progress.finish(tally.summary)
        return tally
    }

    private func each(_ kind: ArchiveRecord.Kind, _ body: ([ArchiveRecord]) async throws -> Void) async throws {
        let reader = store.archiveReader(kind, at: now)
        do {
            while case let page = try await reader.next(Self.pageSize), !page.isEmpty {
                try await body(page)
            }
        } catch {
            await reader.close()
            throw error
        }
        await reader.close()
    }

    /// The shares, memberships or invitations, read in trip order beside the trips, so that each trip's follow it.
    private struct TripChildren {
        let reader: any ArchivePageReader
        private var page: [ArchiveRecord] = []
        private var index = 0
        private var exhausted = false

        init(reader: any ArchivePageReader) {
            self.reader = reader
        }

        /// The records of the trip with this key; those of trips before it, made after their trip was read, are dropped.
        mutating func take(of trip: String) async throws -> [ArchiveRecord] {
            var taken: [ArchiveRecord] = []
            while true {
                if index == page.count {
                    guard !exhausted else { return taken }
                    page = try await reader.next(StoreExport.pageSize)
                    index = 0
                    exhausted = page.isEmpty
                    if exhausted { return taken }
                }
                let itsTrip = page[index].archiveKey.prefix(24)
                guard itsTrip <= trip else { return taken }
                if itsTrip == trip { taken.append(page[index]) }
                index += 1
            }
        }
    }
}
