/// RFC 4648 §5 base64url without padding, as cursors and tokens use it.
package enum Base64URL {
    private static let digits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// 256 random bits, as bearer tokens and share links carry them.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    package static func encode(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count * 4 + 2) / 3)
        var bits = 0
        var pending = 0
        for byte in bytes {
            pending = pending << 8 | Int(byte)
            bits += 8
            while bits >= 6 {
                bits -= 6
                text.append(digits[pending >> bits & 63])
            }
        }
        if bits > 0 { text.append(digits[pending << (6 - bits) & 63]) }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes `text` spells, or nil when it is not exactly what `encode` would write for them.
    package static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var bits = 0
        var pending = 0
        for character in text.utf8 {
            guard let value = digits.firstIndex(of: character) else { return nil }
            pending = pending << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(pending >> bits & 255))
            }
        }
        // Leftover bits must be zero and fewer than a digit, or another text would decode to the same bytes.
        guard bits < 6, pending & (1 << bits - 1) == 0 else { return nil }
        return bytes
    }
}
