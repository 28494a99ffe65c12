import Archive
import JSON

extension FuzzTargets {
    /// Archive lines: a record that reads is written back and reads the same; a refusal names the line.
    static func archiveLine(_ bytes: UnsafeRawBufferPointer) {
        do {
            try ArchiveLine.readHeader(bytes)
        } catch {
            check(error.line == 1, "a header refused without its line: \(error)")
        }
        let number = 42
        do {
            let record = try ArchiveLine.read(bytes, number: number)
            var writer = JSONWriter()
            ArchiveLine.write(record, into: &writer)
            check(writer.bytes.last == UInt8(ascii: "\n"), "a written record does not end its line")
            let line = writer.bytes.dropLast()
            do {
                let again = try line.withUnsafeBytes { try ArchiveLine.read($0, number: number) }
                check(again == record, "\(String(decoding: line, as: UTF8.self)) reads back as another record")
            } catch {
                check(false, "\(String(decoding: line, as: UTF8.self)) written back is refused: \(error)")
            }
        } catch {
            check(error.line == number, "a line refused without its number: \(error)")
        }
    }
}
