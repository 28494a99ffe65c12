import API
import Foundation

/// The bytes of a config file, read only up to `Limits.configFileBytes`, and only when they are UTF-8.
enum ConfigFile {
    static func read(_ path: String) throws(ConfigurationSources.SourceError) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ConfigurationSources.SourceError(description: "cannot read the config file \(path): \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        let bytes: [UInt8]
        do {
            bytes = Array(try handle.read(upToCount: Limits.configFileBytes + 1) ?? Data())
        } catch {
            throw ConfigurationSources.SourceError(description: "cannot read the config file \(path): \(error)")
        }
        guard bytes.count <= Limits.configFileBytes else {
            throw ConfigurationSources.SourceError(
                description: "in \(path): the file is larger than \(Limits.configFileBytes / 1024) KiB; a config file holds a few settings")
        }
        guard String(validating: bytes, as: UTF8.self) != nil, !bytes.contains(0) else {
            throw ConfigurationSources.SourceError(description: "in \(path): the file is not UTF-8 text")
        }
        return bytes
    }
}
