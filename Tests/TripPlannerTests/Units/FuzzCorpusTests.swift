import Foundation
import FuzzChecks
import Testing

/// Every checked-in fuzz input, the seed corpora and the reproducers of past failures, replayed through the check its
/// libFuzzer target runs, so that a fixed crash stays fixed. A broken invariant traps and names itself.
@Suite struct FuzzCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("FuzzTesting")

    /// `Corpora/json/trip` and the like: a set, a target, a file.
    static let inputs: [String] = ["Corpora", "FailCases"].flatMap { set in
        FuzzTargets.all.keys.sorted().flatMap { target in
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("\(set)/\(target)").path)) ?? []
            return files.filter { !$0.hasPrefix(".") }.sorted().map { "\(set)/\(target)/\($0)" }
        }
    }

    @Test(arguments: inputs)
    func holdsItsInvariant(_ input: String) throws {
        let target = String(input.split(separator: "/")[1])
        let check = try #require(FuzzTargets.all[target])
        try Data(contentsOf: Self.folder.appendingPathComponent(input)).withUnsafeBytes { check($0) }
    }

    @Test func everyTargetHasSeedsAndAFolderForFailures() throws {
        for set in ["Corpora", "FailCases"] {
            let folders = try FileManager.default.contentsOfDirectory(atPath: Self.folder.appendingPathComponent(set).path)
            #expect(Set(folders) == Set(FuzzTargets.all.keys), "\(set)")
        }
        for target in FuzzTargets.all.keys {
            #expect(Self.inputs.contains { $0.hasPrefix("Corpora/\(target)/") }, "no seeds for \(target)")
        }
    }
}
