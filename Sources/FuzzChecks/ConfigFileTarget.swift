import ConfigFiles

extension FuzzTargets {
    /// A YAML config file's structure check: a refusal names a line the file has, and a comment line holding every
    /// indicator the check looks for, added at the end, changes no verdict, since a comment is text wherever it stands.
    static func yamlConfig(_ bytes: UnsafeRawBufferPointer) {
        let file = Array(bytes)
        let lines = file.count { $0 == UInt8(ascii: "\n") } + 1
        let verdict = refusal(file)
        if let verdict { check((1...lines).contains(verdict.line), "a refusal names line \(verdict.line) of \(lines)") }
        let commented = refusal(file + Array("\n# & * [ { } ] ' \" | >\n".utf8))
        check((verdict == nil) == (commented == nil), "a trailing comment turned \(String(describing: verdict)) into \(String(describing: commented))")
    }

    private static func refusal(_ file: [UInt8]) -> YAMLStructureCheck.Refusal? {
        do {
            try YAMLStructureCheck.check(file)
            return nil
        } catch {
            return error
        }
    }
}
