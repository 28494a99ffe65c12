import Foundation

/// Each owner's feed of trip changes, with tombstones for deleted trips.
public protocol ChangeFeedStore: Sendable {
    /// Without `since`, the owner's live trips; with it, each trip of the owner created, replaced or deleted after
    /// it. Either way in the order of each trip's last change, at most `limit`, ending with the first trip whose
    /// name and waypoints bring the bytes read past `byteBudget`. A change committed while this runs is either in
    /// the page or after its cursor. Throws `StoreError.cursorExpired` for a cursor of another store's feed, from
    /// before tombstones it would need were purged, or past the owner's last change (a store restored from a backup).
    func changes(owner: OwnerID, since: ChangeCursor?, limit: Int, byteBudget: Int) async throws -> ChangePage
    /// Forgets the deletions made before `date`; cursors from before them expire. Returns how many went.
    func purgeTombstones(deletedBefore date: Date) async throws -> Int
}
