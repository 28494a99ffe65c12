/// How far one store read goes: at most `items`, and no item after those read pass `bytes` of what the store keeps,
/// as the store measures it; one item at least, if any follows.
public struct ReadBound: Sendable {
    public let items: Int
    public let bytes: Int

    public init(items: Int, bytes: Int) {
        precondition(items > 0, "a read reads at least one item")
        self.items = items
        self.bytes = bytes
    }

    /// Takes items from `next`, each with its stored size, until the bound stops it or `next` has none.
    public func read<Item, Failure: Error>(
        _ next: () throws(Failure) -> (item: Item, bytes: Int)?
    ) throws(Failure) -> BoundedRead<Item> {
        var read: [Item] = []
        var total = 0
        while read.count < items, total <= bytes {
            guard let (item, size) = try next() else { return BoundedRead(items: read, exhausted: true) }
            read.append(item)
            total += size
        }
        return BoundedRead(items: read, exhausted: false)
    }
}

/// What a store read under a `ReadBound`.
public struct BoundedRead<Item> {
    public let items: [Item]
    /// No item follows the last read: the store ran out rather than stopped at the bound.
    public let exhausted: Bool

    public init(items: [Item], exhausted: Bool) {
        self.items = items
        self.exhausted = exhausted
    }
}

extension BoundedRead: Sendable where Item: Sendable {}
