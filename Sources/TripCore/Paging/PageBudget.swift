import JSON

/// Where every page of JSON ends: after at most `limit` items and `byteBudget` bytes of items as written, unless its
/// one item is larger. Items are read from the store in batches, each sized to what the budget may still hold and at
/// most `largestBatch`, so a page reads at most `limit + 1` items and holds at most `largestBatch` past its budget,
/// however the sizes of the items vary.
public struct PageBudget: Sendable {
    public let limit: Int
    /// Bytes of the items, each as written and a comma between two.
    public let byteBudget: Int

    public init(limit: Int, byteBudget: Int) {
        precondition(limit > 0, "a page holds at least one item")
        self.limit = limit
        self.byteBudget = byteBudget
    }

    /// Items read the first time, before any size is known.
    static let firstBatch = 8
    /// Items read at once: the sizes of those already read say nothing of the next, which may each be as large as a
    /// trip can be.
    static let largestBatch = 16

    /// Fills one page: `fetch` gives up to `count` items after the last one it gave (nil at first), in order, fewer
    /// only when no more follow; `write` writes one item. `hasMore` is whether an item follows the page's last.
    public func fill<Item>(
        fetch: (_ after: Item?, _ count: Int) async throws -> [Item],
        write: (inout JSONWriter, Item) -> Void
    ) async throws -> JSONPage<Item> {
        var writer = JSONWriter(capacity: 4096)
        var items: [Item] = []
        var fetched = 0
        var last: Item?
        while true {
            let wanted = limit + 1 - fetched
            let count = min(wanted, items.isEmpty ? Self.firstBatch : batch(after: items.count, bytes: writer.bytes.count))
            let batch = try await fetch(last, count)
            fetched += batch.count
            last = batch.last
            for item in batch {
                guard items.count < limit else { return JSONPage(items: items, json: writer.bytes, hasMore: true) }
                let end = writer.bytes.count
                if !items.isEmpty { writer.raw(",") }
                write(&writer, item)
                if !items.isEmpty, writer.bytes.count > byteBudget {
                    writer.truncate(to: end)
                    return JSONPage(items: items, json: writer.bytes, hasMore: true)
                }
                items.append(item)
            }
            if batch.count < count { return JSONPage(items: items, json: writer.bytes, hasMore: false) }
        }
    }

    /// As many items as the budget left holds at the average size so far, and one to pass it.
    private func batch(after count: Int, bytes: Int) -> Int {
        let average = max(1, bytes / count)
        return min(Self.largestBatch, max(0, byteBudget - bytes) / average + 1)
    }
}

/// The items of one page and their JSON, comma-separated, as `PageBudget` measured them.
public struct JSONPage<Item> {
    public let items: [Item]
    public let json: [UInt8]
    public let hasMore: Bool
}

extension JSONPage: Sendable where Item: Sendable {}
