import API
import Foundation

extension FuzzTargets {
    /// `Authorization`: Basic credentials are exactly the UTF-8 bytes their base64 spells, split at a colon the
    /// username does not hold; the scheme is the one the header names.
    static func authorization(_ bytes: UnsafeRawBufferPointer) {
        let header = String(decoding: bytes, as: UTF8.self)
        let scheme = header.utf8.split(separator: UInt8(ascii: " "), maxSplits: 1, omittingEmptySubsequences: false).first
            .map { String(decoding: $0, as: UTF8.self).lowercased() }
        switch AuthorizationHeader(header) {
        case .basic(let username, let password)?:
            check(scheme == "basic", "Basic credentials from scheme \(scheme ?? "")")
            check(!username.utf8.contains(UInt8(ascii: ":")), "a username with a colon: \(username.debugDescription)")
            let credentials = Array((username + ":" + password).utf8)
            let encoded = Data(credentials).base64EncodedString()
            check(
                AuthorizationHeader("Basic " + encoded) == .basic(username: username, password: password),
                "\(username.debugDescription):\(password.debugDescription) reads differently when encoded again")
            let sent = header.utf8.drop { $0 != UInt8(ascii: " ") }
            let text = String(String(decoding: sent, as: UTF8.self).trimmingHTTPWhitespace)
            check(Data(base64Encoded: text).map(Array.init) == credentials, "the credentials are not the bytes sent")
        case .bearer(let token)?:
            check(scheme == "bearer", "a bearer token from scheme \(scheme ?? "")")
            check(AuthorizationHeader("Bearer " + token) == .bearer(token: token), "the token reads differently when sent again")
        case nil:
            break
        }
    }
}
