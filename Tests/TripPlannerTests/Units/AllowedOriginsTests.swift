@testable import API
import Testing

/// `--cors-origins` holds origins as browsers write them in `Origin`, and nothing that is not exactly an origin.
@Suite struct AllowedOriginsTests {
    @Test(arguments: [
        ("https://app.example.com", "https://app.example.com"),
        ("HTTPS://App.Example.COM", "https://app.example.com"),
        ("https://app.example.com:443", "https://app.example.com"),
        ("http://app.example.com:80", "http://app.example.com"),
        ("http://app.example.com:443", "http://app.example.com:443"),
        ("https://app.example.com:8443", "https://app.example.com:8443"),
        ("http://127.0.0.1:08080", "http://127.0.0.1:8080"),
        ("http://localhost:3000", "http://localhost:3000"),
        ("http://xn--bcher-kva.example", "http://xn--bcher-kva.example"),
        ("http://[::1]:3000", "http://[::1]:3000"),
        ("http://[0:0:0:0:0:0:0:1]", "http://[::1]"),
        ("https://[2001:DB8:0:0:1:0:0:1]:443", "https://[2001:db8::1:0:0:1]"),
        ("http://[::ffff:127.0.0.1]", "http://[::ffff:7f00:1]"),
    ])
    func anOriginIsHeldAsABrowserWritesIt(configured: String, sent: String) throws {
        #expect(AllowedOrigins.normalised(configured) == sent)
        #expect(try AllowedOrigins(configured).contains(sent))
    }

    @Test(arguments: [
        "*", "null", "app.example.com", "https://", "ftp://app.example.com", "https://app.example.com/",
        "https://app.example.com/path", "https://app.example.com?x", "https://app.example.com#x", "https://user@app.example.com",
        "https://*.example.com", "https://app.example.com:", "https://app.example.com:0", "https://app.example.com:65536",
        "https://app.example.com:123456", "https://app..example.com", "https://app.example.com.", "https://bücher.example",
        "https://app example.com", "https://app_x.example.com", "http://1.2.3", "http://127.0.0.01", "http://256.0.0.1",
        "http://example.0x1f", "http://[::1", "http://[::1]x", "http://[fe80::1%eth0]", "http://[1.2.3.4]",
        "http://:8080", "https://app.example.com:80:80",
    ])
    func anythingElseIsRefusedAndNamed(entry: String) {
        #expect(AllowedOrigins.normalised(entry) == nil)
        #expect(throws: AllowedOrigins.NotAnOrigin.self) { try AllowedOrigins("https://ok.example, \(entry)") }
        do {
            _ = try AllowedOrigins("https://ok.example,\(entry)")
        } catch {
            #expect(error.entry == entry)
        }
    }

    @Test func aListIsCommaSeparatedAndMayBeEmpty() throws {
        #expect(try AllowedOrigins("").isEmpty)
        #expect(try AllowedOrigins(" , ").isEmpty)
        let list = try AllowedOrigins(" https://a.example ,\thttp://b.example:8080,")
        #expect(list.contains("https://a.example") && list.contains("http://b.example:8080"))
        #expect(!list.contains("http://a.example") && !list.contains("https://c.example"))
    }
}
