import JSON

/// Where every page of JSON ends: after at most `limit` items and `byteBudget` bytes of items as written, unless its
/// one item is larger. A page is read from the store bounded by the budget left, in the store's measure of what it
/// keeps, so one read fills it unless that measure runs larger than the JSON; the JSON alone decides where it ends.
public struct PageBudget: Sendable {
    public let limit: Int
    /// Bytes of the items, each as written and a comma between two.
    public let byteBudget: Int

    public init(limit: Int, byteBudget: Int) {
        precondition(limit > 0, "a page holds at least one item")
        self.limit = limit
        self.byteBudget = byteBudget
    }

    /// Fills one page: `fetch` reads the items after the last one it gave (nil at first), in order, within `bound`;
    /// `write` writes one item. `hasMore` is whether an item follows the page's last.
    public func fill<Item>(
        fetch: (_ after: Item?, _ bound: ReadBound) async throws -> BoundedRead<Item>,
        write: (inout JSONWriter, Item) -> Void
    ) async throws -> JSONPage<Item> {
        var writer = JSONWriter(capacity: 4096)
        var items: [Item] = []
        var last: Item?
        while true {
            let bound = ReadBound(items: limit + 1 - items.count, bytes: max(0, byteBudget - writer.bytes.count))
            let read = try await fetch(last, bound)
            last = read.items.last
            for item in read.items {
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
            if read.exhausted || read.items.isEmpty { return JSONPage(items: items, json: writer.bytes, hasMore: false) }
        }
    }
}

/// The items of one page and their JSON, comma-separated, as `PageBudget` measured them.
public struct JSONPage<Item> {
    public let items: [Item]
    public let json: [UInt8]
    public let hasMore: Bool
}

extension JSONPage: Sendable where Item: Sendable {}
