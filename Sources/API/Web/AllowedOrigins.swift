#if canImport(Darwin)
import Darwin
#else
import Glibc
#endif

/// The origins whose pages may call the API from a browser, each held as a browser serialises its `Origin` header:
/// lowercase scheme and host, no default port, an IPv6 address in its shortest form.
public struct AllowedOrigins: Sendable {
    private let origins: Set<String>

    public static let none = AllowedOrigins(origins: [])

    /// Parses a comma-separated list such as `https://app.example.com, http://127.0.0.1:3000`.
    public init(_ list: String) throws(NotAnOrigin) {
        var origins: Set<String> = []
        for entry in list.split(separator: ",") {
            let text = entry.trimmingHTTPWhitespace
            guard !text.isEmpty else { continue }
            guard let origin = Self.normalised(String(text)) else { throw NotAnOrigin(entry: String(text)) }
            origins.insert(origin)
        }
        self.init(origins: origins)
    }

    private init(origins: Set<String>) {
        self.origins = origins
    }

    /// An entry of the list that is not exactly a scheme, a host and an optional port.
    public struct NotAnOrigin: Error {
        public let entry: String
    }

    public var isEmpty: Bool { origins.isEmpty }

    /// Whether `origin`, an `Origin` header as the browser sent it, is one of these.
    package func contains(_ origin: String) -> Bool {
        origins.contains(origin)
    }

    /// `text` as a browser serialises the origin it names, or nil unless it is `http` or `https`, `://`, a host (a
    /// DNS name, an IPv4 address or a bracketed IPv6 address) and an optional port from 1 to 65535, and nothing else.
    package static func normalised(_ text: String) -> String? {
        guard text.utf8.allSatisfy({ (0x21...0x7E).contains($0) }), let separator = text.range(of: "://") else { return nil }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard let defaultPort = ["http": 80, "https": 443][scheme] else { return nil }
        let authority = text[separator.upperBound...]
        let host: String
        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]"), let address = Self.ipv6(authority[authority.index(after: authority.startIndex)..<close])
            else { return nil }
            host = "[\(address)]"
            let rest = authority[authority.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { return nil }
            portText = rest.isEmpty ? nil : rest.dropFirst()
        } else {
            let parts = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.hostName(parts[0]) else { return nil }
            host = name
            portText = parts.count == 2 ? parts[1] : nil
        }
        guard let portText else { return "\(scheme)://\(host)" }
        guard portText.utf8.count <= 5, let port = Int(decimalDigits: portText), (1...65535).contains(port) else { return nil }
        return port == defaultPort ? "\(scheme)://\(host)" : "\(scheme)://\(host):\(port)"
    }

    /// A DNS name of letters, digits and hyphens in lowercase, or an IPv4 address written as browsers write it; nil for
    /// anything else, such as a name whose last label is a number but which is no such address (`1.2.3`, `0x7f.1`).
    private static func hostName(_ text: Substring) -> String? {
        let name = text.lowercased()
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard name.utf8.count <= 253, labels.allSatisfy({
            (1...63).contains($0.utf8.count) && $0.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "-")
            }
        }), let last = labels.last else { return nil }
        let numeric = last.allSatisfy(\.isWholeNumber) || (last.hasPrefix("0x") && last.dropFirst(2).allSatisfy(\.isHexDigit))
        guard numeric else { return name }
        let isAddress = labels.count == 4 && labels.allSatisfy { label in
            Int(decimalDigits: label).map { $0 <= 255 && String($0) == label } ?? false
        }
        return isAddress ? name : nil
    }

    /// An IPv6 address as the URL standard serialises it: lowercase hexadecimal pieces without leading zeros, the
    /// first longest run of two or more zero pieces written `::`.
    private static func ipv6(_ text: Substring) -> String? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, String(text), &address) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &address) { Array($0) }
        let pieces = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        var longest = (start: 8, count: 1)
        var index = 0
        while index < 8 {
            let run = pieces[index...].prefix { $0 == 0 }.count
            if run > longest.count { longest = (index, run) }
            index += max(run, 1)
        }
        var serialised = ""
        index = 0
        while index < 8 {
            if index == longest.start {
                serialised += index == 0 ? "::" : ":"
                index += longest.count
                continue
            }
            serialised += String(pieces[index], radix: 16) + (index == 7 ? "" : ":")
            index += 1
        }
        return serialised
    }
}
