import JSON
import Synchronization
import Testing
import TripCore

/// What a page reads to fill itself, whatever the sizes of the items behind it.
@Suite struct PageBudgetTests {
    /// Eight small items and then only large ones: what the small ones averaged must not size the next read.
    @Test func itemsLargerThanThoseBeforeThemAreNotReadMoreThanABatchPastTheBudget() async throws {
        let sizes = Array(repeating: 10, count: 8) + Array(repeating: 100_000, count: 200)
        let requested = Mutex<[Int]>([])
        let budget = PageBudget(limit: 100, byteBudget: 150_000)
        let page = try await budget.fill(
            fetch: { (after: Int?, count: Int) in
                requested.withLock { $0.append(count) }
                let start = after.map { $0 + 1 } ?? 0
                return Array(start..<min(sizes.count, start + count))
            },
            write: { writer, index in writer.string(String(repeating: "x", count: sizes[index])) })
        #expect(page.items.count == 9)
        #expect(page.hasMore)
        let read = requested.withLock { $0 }
        #expect(read.allSatisfy { $0 <= 16 }, "batches of \(read)")
        #expect(read.reduce(0, +) <= 8 + 16)
    }
}
