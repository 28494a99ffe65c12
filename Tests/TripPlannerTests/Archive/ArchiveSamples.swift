import Archive
import Foundation
import JSON
import TripCore

/// Archives made in the test, in the exact spelling `export` writes.
enum ArchiveSamples {
    static let passwordHash = "$2b$04$" + String(repeating: "a", count: 53)

    /// A header, then one user per name, each with `tripsEach` trips in id order.
    static func archive(users names: [String], tripsEach: Int) -> [String] {
        let users = names.map { User(id: OwnerID(), username: $0, createdAt: Date(milliseconds: 1_700_000_000_000)) }
        var records = users.map { ArchiveRecord.user(Account(user: $0, passwordHash: passwordHash)) }
        for (index, user) in users.enumerated() {
            records += (0..<tripsEach).map { number in
                .trip(Trip(
                    TripDraft(name: "Trip \(index).\(number)", waypoints: [Waypoint(name: "Paris", latitude: 48.8566, longitude: 2.3522)]),
                    owner: user.id, at: Date(milliseconds: 1_700_000_000_000)))
            }
        }
        records.sort { ($0.kind, $0.archiveKey) < ($1.kind, $1.archiveKey) }
        return lines(records)
    }

    /// The header, then the records in the order given.
    static func lines(_ records: [ArchiveRecord]) -> [String] {
        [String(decoding: ArchiveLine.header.dropLast(), as: UTF8.self)] + records.map { record in
            var writer = JSONWriter()
            ArchiveLine.write(record, into: &writer)
            return String(decoding: writer.bytes.dropLast(), as: UTF8.self)
        }
    }

    static func data(_ lines: [String]) -> Data {
        Data(lines.map { $0 + "\n" }.joined().utf8)
    }

    /// Writes the lines to a temporary file and returns its path.
    static func file(_ lines: [String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID()).jsonl").path
        try data(lines).write(to: URL(fileURLWithPath: path))
        return path
    }
}
