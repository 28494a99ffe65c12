import Archive
import Foundation

/// A file written beside its final name and moved there only once complete, so a failed run leaves no half file.
enum OutputFile {
    static func replacing<T>(_ path: String, _ write: (Int32) async throws -> T) async throws -> T {
        let partial = path + ".partial"
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ArchiveError("cannot create \(partial): \(String(cString: strerror(errno)))")
        }
        do {
            let result = try await write(descriptor)
            close(descriptor)
            guard rename(partial, path) == 0 else { throw ArchiveError("cannot move \(partial) to \(path): \(String(cString: strerror(errno)))") }
            return result
        } catch {
            close(descriptor)
            unlink(partial)
            throw error
        }
    }
}
