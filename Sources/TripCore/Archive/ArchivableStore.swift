import Foundation

/// A store that can be read and written whole, for export, import, migrate and backup.
public protocol ArchivableStore: TripStore {
    /// How many records of each kind an export made `now` would hold.
    func archiveCounts(at now: Date) async throws -> [ArchiveRecord.Kind: Int]
    /// Reads every record of one kind in the order of their `archiveKey`, leaving out tokens expired at `now`.
    func archiveReader(_ kind: ArchiveRecord.Kind, at now: Date) -> any ArchivePageReader
    /// Writes the records atomically, kind by kind in `Kind` order, so that one may refer to another of the batch.
    /// Idempotent: a record already stored is kept, except a trip, which the record replaces when its version is
    /// higher. Throws `RestoreConflict`, writing nothing, for a record that refers to something missing, takes a
    /// username or id that another record holds, or belongs to an account whose stored password hash is not the one
    /// `accounts` gives it (its user line restored in this batch or an earlier one).
    func restore(_ records: [ArchiveRecord], accounts: AccountHashes) async throws
}

/// Records of one kind, a page at a time; whatever the reader holds is let go by `close`.
public protocol ArchivePageReader: AnyObject {
    /// The next records, at most `limit`; none once all are read.
    func next(_ limit: Int) async throws -> [ArchiveRecord]
    /// Safe to call at any point, and more than once.
    func close() async
}
