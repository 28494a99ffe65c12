import Foundation

/// Each owner's feed of trip changes, with tombstones for deleted trips. Paging and the cursor rules are
/// `ChangeFeedStore.changePage`'s; a store only reads its feed.
public protocol ChangeFeedStore: Sendable {
    /// In one snapshot, the owner's feed counters and the owner's changes after `position`, in order and as far as
    /// `bound` goes (measuring trips as `trips(owner:after:bound:)` does), leaving out deletions at or before
    /// `deletionsAfter`. A store numbers each owner's changes as it writes them, in the order
    /// they commit, so a snapshot holding a change holds every earlier one. An unknown owner has counters of 0.
    func changes(owner: OwnerID, after position: Int64, deletionsAfter: Int64, bound: ReadBound) async throws -> ChangeBatch
    /// Forgets the deletions made before `date`, raising each owner's `purgedThrough` past them first, so that a
    /// snapshot missing a deletion holds a horizon that refuses cursors from before it. Returns how many went.
    func purgeTombstones(deletedBefore date: Date) async throws -> Int
}
