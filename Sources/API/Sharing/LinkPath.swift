/// The link, a share's or an invitation's, whose token a request path may carry, however the router may read its
/// spelling: any path whose first segment, however many slashes lead to it, is `s` or `join` in any case, or begins
/// with one of them and a percent sign (`join%2F…`).
enum LinkPath: String, CaseIterable {
    case share = "s"
    case invitation = "join"

    init?(of path: String) {
        let first = path.utf8.drop { $0 == UInt8(ascii: "/") }.prefix { $0 != UInt8(ascii: "/") }
        for link in Self.allCases where first.count >= link.rawValue.utf8.count {
            let name = first.prefix(link.rawValue.utf8.count)
            let rest = first.dropFirst(link.rawValue.utf8.count)
            guard String(decoding: name, as: UTF8.self).lowercased() == link.rawValue,
                rest.isEmpty || rest.first == UInt8(ascii: "%")
            else { continue }
            self = link
            return
        }
        return nil
    }
}
