import JSON
import Synchronization
import Testing
import TripCore

/// What a page reads to fill itself, whatever a store's measure of its items and whatever their sizes.
@Suite struct PageBudgetTests {
    /// Eight small items and then only large ones, each written as a string of `sizes[i]` x's.
    let sizes = Array(repeating: 10, count: 8) + Array(repeating: 100_000, count: 200)
    let budget = PageBudget(limit: 100, byteBudget: 150_000)

    /// A page over a store that measures item `i` as `measure(sizes[i])`, the bounds of the reads it made, and how
    /// many items they read.
    func page(measure: @escaping @Sendable (Int) -> Int) async throws -> (JSONPage<Int>, reads: [ReadBound], read: Int) {
        let reads = Mutex<[ReadBound]>([])
        let read = Mutex<Int>(0)
        let page = try await budget.fill(
            fetch: { [sizes] (after: Int?, bound: ReadBound) in
                reads.withLock { $0.append(bound) }
                var next = after.map { $0 + 1 } ?? 0
                return bound.read { () -> (item: Int, bytes: Int)? in
                    guard next < sizes.count else { return nil }
                    defer { next += 1 }
                    read.withLock { $0 += 1 }
                    return (next, measure(sizes[next]))
                }
            },
            write: { [sizes] writer, index in writer.string(String(repeating: "x", count: sizes[index])) })
        return (page, reads.withLock { $0 }, read.withLock { $0 })
    }

    @Test func aStoreMeasuringAsTheJSONDoesFillsAPageInOneRead() async throws {
        let (page, reads, read) = try await page(measure: { $0 })
        #expect(page.items.count == 9)
        #expect(page.hasMore)
        #expect(reads.count == 1, "reads \(reads)")
        #expect(reads.first?.bytes == budget.byteBudget)
        #expect(read == 10, "the page and the one item that passed the budget")
    }

    /// Where a page ends is the JSON's to say: a store that measures its items as nothing or as ten times their JSON
    /// gives the same page, reading no more than its bound and one item past it each time.
    @Test(arguments: [0, 1, 10])
    func pagesEndAtTheSameItemsWhateverTheStoresMeasure(factor: Int) async throws {
        let (page, reads, read) = try await page(measure: { $0 * factor })
        #expect(page.items == Array(0..<9))
        #expect(page.hasMore)
        #expect(read <= budget.limit + 1)
        #expect(reads.dropFirst().allSatisfy { $0.bytes < budget.byteBudget }, "later reads ask for what is left: \(reads)")
    }

    @Test func aPageEndsAfterItsLimitHavingReadOneItemMore() async throws {
        let small = PageBudget(limit: 3, byteBudget: .max)
        let read = Mutex<Int>(0)
        let page = try await small.fill(
            fetch: { (after: Int?, bound: ReadBound) in
                var next = after.map { $0 + 1 } ?? 0
                return bound.read { () -> (item: Int, bytes: Int)? in
                    read.withLock { $0 += 1 }
                    defer { next += 1 }
                    return (next, 1)
                }
            },
            write: { writer, index in writer.integer(index) })
        #expect(page.items == [0, 1, 2])
        #expect(page.hasMore)
        #expect(read.withLock { $0 } == 4)
    }
}
