import Crypto
import TripCore

/// How many lines of each kind an archive holds, and a SHA-256 digest of them: equal tallies mean equal stores.
public struct ArchiveTally {
    private var counts: [ArchiveRecord.Kind: Int] = [:]
    private var hashers: [ArchiveRecord.Kind: SHA256] = [:]

    public init() {}

    public func count(of kind: ArchiveRecord.Kind) -> Int { counts[kind, default: 0] }

    mutating func add(_ kind: ArchiveRecord.Kind, line: [UInt8]) {
        counts[kind, default: 0] += 1
        hashers[kind, default: SHA256()].update(data: line)
    }

    /// Each kind whose count or content differs from `other`'s, described.
    public func differences(from other: ArchiveTally, names: (this: String, other: String)) -> [String] {
        ArchiveRecord.Kind.allCases.compactMap { kind in
            let (mine, theirs) = (count(of: kind), other.count(of: kind))
            if mine != theirs { return "\(kind) records: \(mine) in \(names.this), \(theirs) in \(names.other)" }
            guard hashers[kind].map({ Array($0.finalize()) }) != other.hashers[kind].map({ Array($0.finalize()) }) else { return nil }
            return "\(kind) records: \(mine) in each, but their content differs"
        }
    }

    /// `12 users, 30 tokens, 1000 trips, 1 share, 0 tombstones, 2 audit events`.
    public var summary: String {
        ArchiveRecord.Kind.allCases.map { $0.counted(count(of: $0)) }.joined(separator: ", ")
    }
}

extension ArchiveRecord.Kind {
    /// `1 trip`, `2 trips`, `2 audit events`.
    func counted(_ count: Int) -> String {
        "\(count) \(self == .audit ? "audit event" : rawValue)" + (count == 1 ? "" : "s")
    }
}
