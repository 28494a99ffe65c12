/// The shape of a bcrypt hash this server will run: `$2a$`, `$2b$` or `$2y$`, a cost of two digits within
/// `RecordRecordLimits.bcryptCost`, `$`, then 22 characters of salt and 31 of hash in bcrypt's base64 alphabet, 60 in all.
public enum BcryptHash {
    public static let length = 60

    /// What is wrong with `hash`, or nil when it is well formed.
    public static func flaw(_ hash: String) -> String? {
        let bytes = Array(hash.utf8)
        guard bytes.count == length else { return "it is \(bytes.count) bytes long, not \(length)" }
        guard bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"), Self.versions.contains(bytes[2]),
            bytes[3] == UInt8(ascii: "$"), bytes[6] == UInt8(ascii: "$")
        else { return "it does not start $2a$, $2b$ or $2y$ and a cost of two digits" }
        guard let cost = Self.digit(bytes[4]).flatMap({ tens in Self.digit(bytes[5]).map { tens * 10 + $0 } }),
            RecordLimits.bcryptCost.contains(cost)
        else {
            return "its cost must be two digits from \(RecordLimits.bcryptCost.lowerBound) to \(RecordLimits.bcryptCost.upperBound)"
        }
        guard bytes[7...].allSatisfy(Self.isBase64) else {
            return "its salt and hash must be 53 characters of ./A-Za-z0-9"
        }
        return nil
    }

    private static let versions: Set<UInt8> = [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")]

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }

    /// bcrypt's own base64 alphabet, `./A-Za-z0-9`.
    private static func isBase64(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: false
        }
    }
}
