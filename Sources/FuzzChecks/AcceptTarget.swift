import API

extension FuzzTargets {
    /// `Accept`: every range has a quality in 0…1, the list reads the same once written back, and the format chosen is
    /// one offered that no other offered format is preferred to.
    static func accept(_ bytes: UnsafeRawBufferPointer) {
        let header = String(decoding: bytes, as: UTF8.self)
        let ranges = MediaRange.list(header)
        for range in ranges {
            check((0...1).contains(range.quality), "quality \(range.quality) of \(range.type)/\(range.subtype)")
            check(!range.type.isEmpty && !range.subtype.isEmpty, "a range without a type or subtype")
        }
        let written = ranges.map { "\($0.type)/\($0.subtype);q=\($0.quality)" }.joined(separator: ",")
        check(MediaRange.list(written) == ranges, "\(header.debugDescription) read back from \(written.debugDescription) differs")
        for formats in [TripFormat.owned, TripFormat.shared] {
            let quality = { (format: TripFormat) in MediaRange.quality(of: format.mediaType, in: ranges) }
            guard let chosen = TripFormat.preferred(by: header, among: formats) else {
                check(formats.allSatisfy { quality($0) == 0 }, "no format chosen though one is acceptable")
                continue
            }
            check(formats.contains(chosen) && quality(chosen) > 0, "\(chosen) chosen but not acceptable")
            check(formats.allSatisfy { quality($0) <= quality(chosen) }, "\(chosen) chosen over a preferred format")
        }
    }
}
