import Hummingbird

/// The conditional headers of a replace or delete: `If-Match` compared strongly, `If-None-Match` weakly, as RFC 9110
/// says.
struct Preconditions {
    let ifMatch: EntityTags?
    let ifNoneMatch: EntityTags?

    init(_ headers: HTTPFields) throws(Problem) {
        ifMatch = try EntityTags(headers[.ifMatch], name: "If-Match")
        ifNoneMatch = try EntityTags(headers[.ifNoneMatch], name: "If-None-Match")
    }

    var isEmpty: Bool { ifMatch == nil && ifNoneMatch == nil }

    /// The version a replace or delete must find, nil for any. One strong tag goes to the store as it is; anything else is
    /// checked against the trip as it is now, and the replace then demands that version, so a change in between
    /// still fails.
    func expectedVersion(current: () async throws -> Int) async throws -> Int? {
        if ifNoneMatch == nil {
            guard let ifMatch, !ifMatch.isWildcard else { return nil }
            if let version = ifMatch.onlyVersion { return version }
        }
        let version = try await current()
        guard ifMatch?.matchStrongly(version) ?? true, !(ifNoneMatch?.matchWeakly(version) ?? false) else {
            throw Problem.versionConflict
        }
        return version
    }
}
