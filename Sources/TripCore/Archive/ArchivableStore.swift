import Foundation

/// A store that can be read and written whole, for export, import, migrate and backup.
public protocol ArchivableStore: TripStore {
    /// How many records of each kind an export made `now` would hold.
    func archiveCounts(at now: Date) async throws -> [ArchiveRecord.Kind: Int]
    /// Up to `limit` records of one kind in the order of their `archiveKey`, starting after `key`, leaving out tokens
    /// expired at `now`.
    func archivedRecords(_ kind: ArchiveRecord.Kind, after key: String?, limit: Int, at now: Date) async throws -> [ArchiveRecord]
    /// Writes the records atomically, kind by kind in `Kind` order, so that one may refer to another of the batch.
    /// Idempotent: a record already stored is kept, except a trip, which the record replaces when its version is
    /// higher. Throws `RestoreConflict`, writing nothing, for a record that refers to something missing or takes
    /// a username or id that another record holds.
    func restore(_ records: [ArchiveRecord]) async throws
}
