import Foundation
import TripCore

/// Reads one kind a page at a time in key order, each page one query for the documents after the last one read, on a
/// client borrowed for that query alone: a reader holds no client between pages, so an export with two readers open
/// works at any pool size.
///
/// `@unchecked Sendable`: its one caller awaits each `next` in turn, so its state is never touched by two at once.
final class MongoArchiveReader: ArchivePageReader, @unchecked Sendable {
    private let store: MongoTripStore
    private let kind: ArchiveRecord.Kind
    private let now: Date
    /// The sort key of the last document read; nil before the first page.
    private var after: [BSONValue]?
    private var finished = false

    init(store: MongoTripStore, kind: ArchiveRecord.Kind, now: Date) {
        self.store = store
        self.kind = kind
        self.now = now
    }

    func next(_ limit: Int) async throws -> [ArchiveRecord] {
        guard !finished, limit > 0 else { return [] }
        let (records, read) = try await store.withDatabase { [self] database in
            let (filter, sortKey) = MongoTripStore.archiveQuery(kind, at: now)
            if let after { filter.append("$or", Self.past(after, on: sortKey)) }
            let sort = BSONDocument()
            for field in sortKey { sort.append(field, .int32(1)) }
            let options = BSONDocument(["sort": .document(sort), "limit": .int64(Int64(limit))])
            if kind == .member { options.append("projection", .document(MongoTripStore.memberFields)) }
            let page = try database[MongoTripStore.archiveCollection[kind]!].find(filter, options: options)
            if let last = page.last { after = try Self.key(of: last, on: sortKey) }
            return (try MongoTripStore.archiveRecords(kind, page, in: database), page.count)
        }
        finished = read < limit
        return records
    }

    func close() async {
        finished = true
    }

    /// The sort key's values in `document`; each is an ObjectID or a string.
    private static func key(of document: BSONDocument, on sortKey: [String]) throws -> [BSONValue] {
        let fields = document.fields
        return try sortKey.map { field in
            if let id = fields.objectID(field) { return .objectID(id) }
            if let string = fields.string(field) { return .string(string) }
            throw MongoFailure(message: "archive document without \(field)")
        }
    }

    /// Matches documents whose sort key comes after `key`: a later first field, or the same one and a later second.
    private static func past(_ key: [BSONValue], on sortKey: [String]) -> BSONValue {
        .array(sortKey.indices.map { index in
            let document = BSONDocument()
            for equal in 0..<index { document.append(sortKey[equal], key[equal]) }
            document.append(sortKey[index], .document(BSONDocument(["$gt": key[index]])))
            return .document(document)
        })
    }
}
