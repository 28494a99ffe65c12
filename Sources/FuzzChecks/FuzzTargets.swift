import API
import TripCore

/// The invariants the fuzz targets hold the parsers of untrusted bytes to, one function per parser, each trapping on an
/// input that breaks its invariant. libFuzzer drives them from `FuzzTesting/`; the test suite replays the corpora and
/// the reproducers of past failures through them.
public enum FuzzTargets {
    /// Every target by the name its corpus and executable carry.
    public static let all: [String: @Sendable (UnsafeRawBufferPointer) -> Void] = [
        "accept": accept,
        "allowed-origins": allowedOrigins,
        "archive-line": archiveLine,
        "authorization": authorization,
        "change-cursor": changeCursor,
        "entity-tags": entityTags,
        "forwarded-for": forwardedFor,
        "gpx": gpx,
        "json": json,
        "json-patch": jsonPatch,
        "last-event-id": lastEventID,
        "member-request": memberRequest,
        "merge-patch": mergePatch,
        "share-token": shareToken,
        "xml-escaping": xmlEscaping,
        "yaml-config": yamlConfig,
    ]
}

/// Traps with `message` when an invariant does not hold, in every build configuration.
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("invariant broken: \(message())") }
}

/// A problem a client caused, as every refusal of untrusted input must be.
func checkClientError(_ problem: Problem, _ what: String) {
    check((400..<500).contains(problem.status.code), "\(what) was refused with \(problem.status.code): \(problem.detail)")
}

/// A record refused by the rules is answered 422 by the API, and must say which field broke them.
func checkClientError(_ invalid: InvalidRecord, _ what: String) {
    check(!invalid.errors.isEmpty, "\(what) was refused without naming a field")
}

extension Sequence<UInt8> {
    /// Whether `needle` occurs as consecutive bytes, compared byte by byte rather than by grapheme cluster.
    func containsBytes(_ needle: some Collection<UInt8>) -> Bool {
        let haystack = Array(self)
        let needle = Array(needle)
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
