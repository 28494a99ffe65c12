#if canImport(Darwin)
import Darwin
#else
import Glibc
#endif

/// The reverse proxies whose `X-Forwarded-For` is believed, as addresses and CIDR ranges, IPv4 and IPv6.
public struct TrustedProxies: Sendable {
    private let ranges: [IPRange]

    public static let none = TrustedProxies(ranges: [])

    /// Parses a comma-separated list such as `127.0.0.1, 10.0.0.0/8, ::1`; nil if any entry is not one.
    public init?(_ list: String) {
        var ranges: [IPRange] = []
        for entry in list.split(separator: ",") {
            let text = entry.trimmingHTTPWhitespace
            guard !text.isEmpty else { continue }
            guard let range = IPRange(String(text)) else { return nil }
            ranges.append(range)
        }
        self.init(ranges: ranges)
    }

    private init(ranges: [IPRange]) {
        self.ranges = ranges
    }

    /// The client a request comes from: when `peer` is a trusted proxy, the rightmost `X-Forwarded-For`
    /// entry that is not itself one; from any other peer, the peer, whatever the header says.
    package func client(peer: String, forwardedFor headers: [String]) -> String {
        guard isTrusted(peer) else { return peer }
        let hops = Self.hops(forwardedFor: headers)
        return hops.last { !isTrusted($0) } ?? hops.first ?? peer
    }

    /// The addresses `X-Forwarded-For` lists, split at every comma byte.
    package static func hops(forwardedFor headers: [String]) -> [String] {
        headers.flatMap { $0.utf8.split(separator: UInt8(ascii: ",")) }.map { String(Substring($0).trimmingHTTPWhitespace) }
    }

    package func isTrusted(_ address: String) -> Bool {
        guard let bytes = IPRange.bytes(of: address) else { return false }
        return ranges.contains { $0.contains(bytes) }
    }
}

/// One address, or a CIDR range of them.
private struct IPRange: Sendable {
    let network: [UInt8]
    let prefixLength: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let network = Self.bytes(of: String(parts[0])) else { return nil }
        let bits = network.count * 8
        if parts.count == 2 {
            guard let length = Int(decimalDigits: parts[1]), (0...bits).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = bits
        }
        self.network = network
    }

    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == network.count else { return false }
        var remaining = prefixLength
        for (a, b) in zip(address, network) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            guard a & mask == b & mask else { return false }
            remaining -= 8
        }
        return true
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address in text.
    static func bytes(of text: String) -> [UInt8]? {
        // A C string ends at NUL, which would make `127.0.0.1\0anything` read as `127.0.0.1`.
        guard !text.utf8.contains(0) else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
