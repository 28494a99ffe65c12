import API

extension FuzzTargets {
    /// `If-Match` and `If-None-Match`: a malformed header is a 4xx, and a version matches only when one of its exact
    /// quoted tags, the owner's or a member's, is in the header (`*` aside); a strong match is also a weak one.
    static func entityTags(_ bytes: UnsafeRawBufferPointer) {
        let header = String(decoding: bytes, as: UTF8.self)
        let parsed: EntityTags?
        do {
            parsed = try EntityTags(header, name: "If-Match")
        } catch {
            return checkClientError(error, "an entity tag header")
        }
        guard let tags = parsed else { return check(false, "a present header read as absent") }
        guard !tags.isWildcard else { return check(tags.matchStrongly(7) && tags.matchWeakly(7), "* did not match") }
        let value = header.contains("%") ? header.removingPercentEncoding ?? header : header
        var versions = [0, 1, 2, 3, 10]
        if let only = tags.onlyVersion { versions.append(only) }
        versions += value.utf8.split { !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }.prefix(64).compactMap {
            Int(String(decoding: $0, as: UTF8.self))
        }
        func written(_ version: Int) -> Bool {
            ["", "-editor", "-viewer"].contains { value.utf8.containsBytes("\"\(version)\($0)\"".utf8) }
        }
        for version in versions {
            if tags.matchStrongly(version) {
                check(written(version), "version \(version) matched strongly without its tag")
                check(tags.matchWeakly(version), "version \(version) matched strongly but not weakly")
            }
            if tags.matchWeakly(version) {
                check(written(version), "version \(version) matched weakly without its tag")
            }
        }
        if let only = tags.onlyVersion, only > 0 {
            check(tags.matchStrongly(only), "the only version \(only) does not match")
            check(written(only), "the only version \(only) is not the tag written")
        }
    }
}
