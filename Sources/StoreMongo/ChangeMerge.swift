import TripCore

/// One page of an owner's feed from several lists of changes (trips, tombstones), each in `seq` order and each read
/// with a limit of `limit + 1`: a list that filled its limit may go on past its last change, so the page stops there.
struct ChangeMerge {
    struct Change {
        let seq: Int64
        let change: TripChange
        let bytes: Int
    }

    private let limit: Int
    private let byteBudget: Int
    private var changes: [Change] = []
    /// The last change every list added is known to hold all changes up to.
    private var knownThrough = Int64.max

    init(limit: Int, byteBudget: Int) {
        self.limit = limit
        self.byteBudget = byteBudget
    }

    mutating func add(_ list: [Change]) {
        if list.count > limit, let last = list.last { knownThrough = min(knownThrough, last.seq) }
        changes += list
    }

    /// Up to `limit` changes in `seq` order, ending with the first that brings their bytes past `byteBudget`; and
    /// the `seq` of the last of them when more may follow it, as they may after a page the budget ended.
    func page() -> (changes: [Change], last: Int64?) {
        var taken: [Change] = []
        var bytes = 0
        for change in changes.filter({ $0.seq <= knownThrough }).sorted(by: { $0.seq < $1.seq }) {
            if taken.count == limit { return (taken, taken.last?.seq) }
            taken.append(change)
            bytes += change.bytes
            // A list read with this budget stops at the same change, not knowing whether more follow.
            if bytes > byteBudget { return (taken, change.seq) }
        }
        return (taken, knownThrough == .max ? nil : taken.last?.seq)
    }
}
