import API

extension FuzzTargets {
    /// `X-Forwarded-For` behind trusted proxies; the input's lines are the proxy list, the peer and the header values.
    /// The client is the peer or one of the listed addresses, the peer whenever the peer is not trusted, and never a
    /// trusted proxy while an untrusted address is listed.
    static func forwardedFor(_ bytes: UnsafeRawBufferPointer) {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        guard lines.count >= 2, let proxies = TrustedProxies(lines[0]) else { return }
        let peer = lines[1]
        let headers = Array(lines.dropFirst(2))
        let client = proxies.client(peer: peer, forwardedFor: headers)
        let hops = TrustedProxies.hops(forwardedFor: headers)
        check(client == peer || hops.contains(client), "client \(client.debugDescription) is neither the peer nor listed")
        if !proxies.isTrusted(peer) { check(client == peer, "an untrusted peer's header was believed") }
        if proxies.isTrusted(peer), hops.contains(where: { !proxies.isTrusted($0) }) {
            check(!proxies.isTrusted(client), "a trusted proxy \(client.debugDescription) taken for the client")
        }
        for address in hops + [peer] where proxies.isTrusted(address) {
            check(!address.utf8.contains(0), "\(address.debugDescription) trusted though it holds a NUL")
        }
    }
}
