extension Int {
    /// A number written as plain ASCII digits, as in `?limit=50`: no sign, no space, at most 18 digits so it cannot
    /// overflow; nil for anything else.
    init?(decimalDigits text: some StringProtocol) {
        let utf8 = text.utf8
        guard (1...18).contains(utf8.count), utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        self = utf8.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}
