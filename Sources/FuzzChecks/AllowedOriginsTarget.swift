import API

extension FuzzTargets {
    /// `--cors-origins`, from a flag, the environment or a config file: an entry is kept only as an origin a browser
    /// could send, `http` or `https`, `://`, a host and no default port, in the one spelling that reads back as itself;
    /// the list is refused whole, naming the entry, or holds exactly its entries' spellings.
    static func allowedOrigins(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        for entry in text.split(separator: ",") {
            guard let origin = AllowedOrigins.normalised(String(entry)) else { continue }
            check(origin.hasPrefix("http://") || origin.hasPrefix("https://"), "\(entry.debugDescription) kept as \(origin)")
            check(origin.utf8.allSatisfy { (0x21...0x7E).contains($0) } && !origin.contains(","), "\(origin.debugDescription)")
            check(!origin.hasSuffix(":80") || origin.hasPrefix("https"), "a default port kept in \(origin)")
            check(!origin.hasSuffix(":443") || origin.hasPrefix("http:"), "a default port kept in \(origin)")
            check(AllowedOrigins.normalised(origin) == origin, "\(origin) does not read back as itself")
        }
        do {
            let list = try AllowedOrigins(text)
            for entry in text.split(separator: ",") where !entry.trimmingHTTPWhitespace.isEmpty {
                let origin = AllowedOrigins.normalised(String(entry.trimmingHTTPWhitespace))
                check(origin.map(list.contains) == true, "\(entry.debugDescription) accepted but not held")
            }
        } catch {
            check(text.split(separator: ",").contains { AllowedOrigins.normalised(String($0.trimmingHTTPWhitespace)) == nil },
                  "the list was refused, naming \(error.entry.debugDescription), though every entry is an origin")
        }
    }
}
