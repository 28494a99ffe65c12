// swift-tools-version:6.2
import PackageDescription

/// One libFuzzer executable per parser of untrusted bytes, each a thin wrapper over its check in the main package's
/// FuzzChecks. Built only by scripts/fuzz-parsers.sh, with `-sanitize=fuzzer,address -parse-as-library`.
let targets = [
    "accept", "allowed-origins", "archive-line", "authorization", "change-cursor", "entity-tags", "forwarded-for", "gpx", "json",
    "json-patch", "last-event-id", "member-request", "merge-patch", "share-token", "xml-escaping", "yaml-config",
]

let package = Package(
    name: "FuzzTesting",
    platforms: [.macOS(.v15)],
    products: targets.map { .executable(name: "fuzz-\($0)", targets: ["fuzz-\($0)"]) },
    dependencies: [.package(name: "trip-planner", path: "..")],
    targets: [.target(name: "FuzzDriver", dependencies: [.product(name: "FuzzChecks", package: "trip-planner")])]
        + targets.map { .executableTarget(name: "fuzz-\($0)", dependencies: ["FuzzDriver"], path: "Sources/fuzz-\($0)") }
)
