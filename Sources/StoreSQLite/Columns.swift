import GRDB
import GRDBSQLite
import TripCore

/// An id column, parsed straight from SQLite's text buffer without making a string.
struct IDColumn: DatabaseValueConvertible, StatementColumnConvertible {
    let objectID: ObjectID

    init?(sqliteStatement: SQLiteStatement, index: CInt) {
        guard let text = sqlite3_column_text(sqliteStatement, index) else { return nil }
        let count = Int(sqlite3_column_bytes(sqliteStatement, index))
        guard let objectID = ObjectID(hexDigits: UnsafeRawBufferPointer(start: text, count: count)) else { return nil }
        self.objectID = objectID
    }

    var databaseValue: DatabaseValue { objectID.description.databaseValue }

    static func fromDatabaseValue(_ value: DatabaseValue) -> IDColumn? {
        String.fromDatabaseValue(value).flatMap(ObjectID.init).map(IDColumn.init)
    }

    private init(_ objectID: ObjectID) {
        self.objectID = objectID
    }
}

/// A text column's UTF-8 bytes, copied straight from SQLite's buffer without a `String` or `Data`.
struct UTF8Column: DatabaseValueConvertible, StatementColumnConvertible {
    let bytes: [UInt8]

    init(sqliteStatement: SQLiteStatement, index: CInt) {
        let count = Int(sqlite3_column_bytes(sqliteStatement, index))
        guard count > 0, let text = sqlite3_column_text(sqliteStatement, index) else {
            bytes = []
            return
        }
        bytes = Array(UnsafeRawBufferPointer(start: text, count: count))
    }

    var databaseValue: DatabaseValue { String(decoding: bytes, as: UTF8.self).databaseValue }

    static func fromDatabaseValue(_ value: DatabaseValue) -> UTF8Column? {
        String.fromDatabaseValue(value).map { UTF8Column(bytes: Array($0.utf8)) }
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }
}
