import Foundation

/// Each reader's feed of changes to the trips they own or are a member of, with tombstones for trips deleted or no
/// longer readable. Paging and the cursor rules are
/// `ChangeFeedStore.changePage`'s; a store only reads its feed.
public protocol ChangeFeedStore: Sendable {
    /// In one snapshot, the reader's feed counters and the reader's changes after `position`, in order and as far as
    /// `bound` goes (measuring trips as `trips(reader:role:after:bound:)` does), leaving out deletions at or before
    /// `deletionsAfter`; each trip as the reader sees it. A store numbers each reader's changes as it writes them, in the
    /// order they commit, so a snapshot holding a change holds every earlier one. An unknown reader has counters of 0.
    func changes(reader: OwnerID, after position: Int64, deletionsAfter: Int64, bound: ReadBound) async throws -> ChangeBatch
    /// Forgets the deletions made before `date`, raising each reader's `purgedThrough` past them first, so that a
    /// snapshot missing a deletion holds a horizon that refuses cursors from before it. Returns how many went.
    func purgeTombstones(deletedBefore date: Date) async throws -> Int
}
