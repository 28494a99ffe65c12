import Foundation
import JSON
import TripCore

/// One line of an archive in JSON Lines: a header naming the format, then one record per line.
public enum ArchiveLine {
    public static let format = "trip-planner-archive"
    public static let version = 1

    public static var header: [UInt8] {
        var writer = JSONWriter(capacity: 64)
        writer.raw(#"{"format":"#)
        writer.string(format)
        writer.raw(#","version":"#)
        writer.integer(version)
        writer.raw("}\n")
        return writer.bytes
    }

    /// Appends the record and a newline; every time is in milliseconds since 1970, as the stores keep it.
    public static func write(_ record: ArchiveRecord, into writer: inout JSONWriter) {
        switch record {
        case .user(let account):
            writer.raw(#"{"kind":"user","id":"#)
            writer.id(account.user.id)
            writer.raw(#","username":"#)
            writer.string(account.user.username)
            writer.raw(#","passwordHash":"#)
            writer.string(account.passwordHash)
            writer.raw(#","createdAt":"#)
            writer.milliseconds(account.user.createdAt)
            if let disablement = account.disablement {
                writer.raw(#","disabledAt":"#)
                writer.milliseconds(disablement.since)
                writer.raw(#","disabledReason":"#)
                writer.string(disablement.reason)
            }
        case .token(let token):
            writer.raw(#"{"kind":"token","digest":"#)
            writer.string(token.digest)
            writer.raw(#","owner":"#)
            writer.id(token.owner)
            writer.raw(#","expiresAt":"#)
            writer.milliseconds(token.expiresAt)
        case .trip(let trip):
            writer.raw(#"{"kind":"trip","id":"#)
            writer.id(trip.id)
            writer.raw(#","owner":"#)
            writer.id(trip.owner)
            writer.raw(#","name":"#)
            writer.string(trip.name)
            writer.raw(#","waypoints":"#)
            writer.waypoints(trip.waypoints)
            writer.raw(#","createdAt":"#)
            writer.milliseconds(trip.createdAt)
            writer.raw(#","updatedAt":"#)
            writer.milliseconds(trip.updatedAt)
            writer.raw(#","version":"#)
            writer.integer(trip.version)
        case .share(let share, let digest):
            writer.raw(#"{"kind":"share","id":"#)
            writer.id(share.id)
            writer.raw(#","trip":"#)
            writer.id(share.trip)
            writer.raw(#","owner":"#)
            writer.id(share.owner)
            writer.raw(#","tokenDigest":"#)
            writer.string(digest)
            writer.raw(#","createdAt":"#)
            writer.milliseconds(share.createdAt)
            writer.raw(#","expiresAt":"#)
            if let expiresAt = share.expiresAt { writer.milliseconds(expiresAt) } else { writer.raw("null") }
        case .member(let membership):
            writer.raw(#"{"kind":"member","trip":"#)
            writer.id(membership.trip)
            writer.raw(#","owner":"#)
            writer.id(membership.owner)
            writer.raw(#","user":"#)
            writer.id(membership.member)
            writer.raw(#","role":"#)
            writer.string(membership.role.rawValue)
            writer.raw(#","joinedAt":"#)
            writer.milliseconds(membership.joinedAt)
        case .invitation(let invitation, let owner, let digest):
            writer.raw(#"{"kind":"invitation","id":"#)
            writer.id(invitation.id)
            writer.raw(#","trip":"#)
            writer.id(invitation.trip)
            writer.raw(#","owner":"#)
            writer.id(owner)
            writer.raw(#","role":"#)
            writer.string(invitation.role.rawValue)
            writer.raw(#","tokenDigest":"#)
            writer.string(digest)
            writer.raw(#","createdAt":"#)
            writer.milliseconds(invitation.createdAt)
            writer.raw(#","expiresAt":"#)
            writer.milliseconds(invitation.expiresAt)
        case .tombstone(let tombstone):
            writer.raw(#"{"kind":"tombstone","trip":"#)
            writer.id(tombstone.trip)
            writer.raw(#","owner":"#)
            writer.id(tombstone.owner)
            writer.raw(#","deletedAt":"#)
            writer.milliseconds(tombstone.deletedAt)
        case .audit(let event):
            writer.raw(#"{"kind":"audit","id":"#)
            writer.string(event.id.description)
            writer.raw(#","at":"#)
            writer.milliseconds(event.at)
            writer.raw(#","command":"#)
            writer.string(event.command)
            writer.raw(#","account":"#)
            writer.string(event.account)
            writer.raw(#","operator":"#)
            writer.string(event.operatorName)
            writer.raw(#","host":"#)
            writer.string(event.host)
            if let reason = event.reason {
                writer.raw(#","reason":"#)
                writer.string(reason)
            }
        }
        writer.raw("}\n")
    }

    /// Checks that a first line names this format at this version.
    public static func readHeader(_ line: UnsafeRawBufferPointer) throws(ArchiveError) {
        guard case .object(let fields)? = try? JSONValue(parsing: line), case .string(format)? = fields["format"] else {
            throw ArchiveError(line: 1, "not a trip-planner archive: the first line must be {\"format\":\"\(format)\",\"version\":\(version)}")
        }
        guard fields["version"] == .number(Double(version)) else {
            throw ArchiveError(line: 1, "unknown format version \(fields["version"].map(Self.spelling) ?? "(none)"); this server reads version \(version)")
        }
    }

    /// The record on one line after the header, held to the rules the API holds records to.
    public static func read(_ line: UnsafeRawBufferPointer, number: Int) throws(ArchiveError) -> ArchiveRecord {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: line)
        } catch {
            throw ArchiveError(line: number, "malformed JSON at byte \(error.offset + 1): \(error.reason)")
        }
        guard case .object(let object) = json else { throw ArchiveError(line: number, "a record must be a JSON object") }
        var fields = RecordFields(fields: object, line: number)
        switch try fields.string("kind") {
        case "user":
            let username = try fields.string("username")
            guard UsernameRule.allows(username) else {
                throw ArchiveError(line: number, "username \(spelling(.string(username))) is not one sign-up would accept")
            }
            let passwordHash = try fields.string("passwordHash")
            if let flaw = BcryptHash.flaw(passwordHash) {
                throw ArchiveError(line: number, "passwordHash is not a bcrypt hash this server runs: \(flaw)")
            }
            let user = User(id: try fields.id("id"), username: username, createdAt: try fields.date("createdAt"))
            let disablement = try fields.disablement()
            return try fields.done(.user(Account(user: user, passwordHash: passwordHash, disablement: disablement)))
        case "token":
            let token = AccessToken(
                digest: try fields.digest("digest"), owner: try fields.id("owner"), expiresAt: try fields.date("expiresAt"))
            return try fields.done(.token(token))
        case "trip":
            let draft: TripDraft
            do {
                draft = try TripDraft(validating: .object(["name": object["name"] ?? .null, "waypoints": object["waypoints"] ?? .null]))
            } catch {
                let reasons = error.errors.map { "\($0.pointer) \($0.detail)" }
                throw ArchiveError(line: number, "invalid trip: " + reasons.joined(separator: "; "))
            }
            fields.used(["name", "waypoints"])
            let trip = Trip(
                id: try fields.id("id"), owner: try fields.id("owner"), name: draft.name, waypoints: Waypoints(draft.waypoints),
                createdAt: try fields.date("createdAt"), updatedAt: try fields.date("updatedAt"),
                version: try fields.positiveInteger("version"))
            return try fields.done(.trip(trip))
        case "share":
            let share = Share(
                id: try fields.id("id"), trip: try fields.id("trip"), owner: try fields.id("owner"),
                createdAt: try fields.date("createdAt"), expiresAt: try fields.optionalDate("expiresAt"))
            let digest = try fields.digest("tokenDigest")
            return try fields.done(.share(share, tokenDigest: digest))
        case "member":
            let membership = TripMembership(
                trip: try fields.id("trip"), owner: try fields.id("owner"), member: try fields.id("user"),
                role: try fields.memberRole("role"), joinedAt: try fields.date("joinedAt"))
            return try fields.done(.member(membership))
        case "invitation":
            let invitation = Invitation(
                id: try fields.id("id"), trip: try fields.id("trip"), role: try fields.memberRole("role"),
                createdAt: try fields.date("createdAt"), expiresAt: try fields.date("expiresAt"))
            let owner: OwnerID = try fields.id("owner")
            let digest = try fields.digest("tokenDigest")
            return try fields.done(.invitation(invitation, owner: owner, tokenDigest: digest))
        case "tombstone":
            let tombstone = Tombstone(trip: try fields.id("trip"), owner: try fields.id("owner"), deletedAt: try fields.date("deletedAt"))
            return try fields.done(.tombstone(tombstone))
        case "audit":
            let id: RecordID<AuditEvent> = try fields.id("id")
            let event = AuditEvent(
                id: id.objectID, at: try fields.date("at"), command: try fields.text("command"), account: try fields.text("account"),
                operatorName: try fields.text("operator"), host: try fields.text("host"), reason: try fields.optionalText("reason"))
            return try fields.done(.audit(event))
        case let kind:
            throw ArchiveError(line: number, "unknown kind \(spelling(.string(kind))); expected user, token, trip, share, member, invitation, tombstone or audit")
        }
    }

    fileprivate static func spelling(_ value: JSONValue) -> String {
        var writer = JSONWriter()
        switch value {
        case .string(let text): writer.string(text)
        case .number(let number) where number.rounded() == number && abs(number) < 1e15: writer.integer(Int(number))
        case .number(let number): writer.number(number)
        default: return "a value that is not a number"
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

/// The fields of one record, each read once, so that a field left over can be named.
private struct RecordFields {
    var fields: [String: JSONValue]
    let line: Int

    mutating func used(_ keys: [String]) {
        for key in keys { fields[key] = nil }
    }

    mutating func take(_ key: String) throws(ArchiveError) -> JSONValue {
        guard let value = fields.removeValue(forKey: key) else { throw ArchiveError(line: line, "\(key) is required") }
        return value
    }

    mutating func string(_ key: String) throws(ArchiveError) -> String {
        guard case .string(let text) = try take(key) else { throw ArchiveError(line: line, "\(key) must be a string") }
        return text
    }

    mutating func id<Record>(_ key: String) throws(ArchiveError) -> RecordID<Record> {
        guard let id = RecordID<Record>(try string(key)) else {
            throw ArchiveError(line: line, "\(key) must be an id of 24 lowercase hex digits")
        }
        return id
    }

    /// Text an operator wrote or a command recorded, as `AuditText` has it.
    mutating func text(_ key: String) throws(ArchiveError) -> String {
        let text = try string(key)
        if let refusal = AuditText.refusal(of: text) { throw ArchiveError(line: line, "\(key) \(refusal)") }
        return text
    }

    /// Text, or nothing when the field is absent.
    mutating func optionalText(_ key: String) throws(ArchiveError) -> String? {
        fields[key] == nil ? nil : try text(key)
    }

    /// A user's `disabledAt` and `disabledReason`, both or neither.
    mutating func disablement() throws(ArchiveError) -> Disablement? {
        switch (fields["disabledAt"] != nil, fields["disabledReason"] != nil) {
        case (false, false): return nil
        case (true, true): return Disablement(since: try date("disabledAt"), reason: try text("disabledReason"))
        default: throw ArchiveError(line: line, "disabledAt and disabledReason go together")
        }
    }

    /// A token's digest: printable ASCII, as the server writes digests.
    mutating func digest(_ key: String) throws(ArchiveError) -> String {
        let digest = try string(key)
        guard (1...128).contains(digest.utf8.count), digest.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw ArchiveError(line: line, "\(key) must be 1 to 128 printable ASCII characters")
        }
        return digest
    }

    func integer(_ key: String, _ value: JSONValue, in range: ClosedRange<Int64>) throws(ArchiveError) -> Int64 {
        guard case .number(let number) = value, number.rounded() == number, Double(range.lowerBound) <= number,
            number <= Double(range.upperBound)
        else { throw ArchiveError(line: line, "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)") }
        return Int64(number)
    }

    mutating func positiveInteger(_ key: String) throws(ArchiveError) -> Int {
        Int(try integer(key, try take(key), in: 1...Int64(Int32.max)))
    }

    /// Milliseconds since 1970, within the years 1970 to 9999.
    /// "editor" or "viewer": the roles a member or an invitation can hold.
    mutating func memberRole(_ key: String) throws(ArchiveError) -> TripRole {
        guard case .string(let text) = try take(key), let role = TripRole(rawValue: text), role != .owner else {
            throw ArchiveError(line: line, "\(key) must be \"editor\" or \"viewer\"")
        }
        return role
    }

    mutating func date(_ key: String) throws(ArchiveError) -> Date {
        Date(milliseconds: try integer(key, try take(key), in: Self.dates))
    }

    /// A date, or null.
    mutating func optionalDate(_ key: String) throws(ArchiveError) -> Date? {
        let value = try take(key)
        return value == .null ? nil : Date(milliseconds: try integer(key, value, in: Self.dates))
    }

    private static let dates: ClosedRange<Int64> = 0...253_402_300_799_999

    func done(_ record: ArchiveRecord) throws(ArchiveError) -> ArchiveRecord {
        guard let extra = fields.keys.sorted().first else { return record }
        throw ArchiveError(line: line, "unknown field \(extra) in a \(record.kind) record")
    }
}

extension JSONWriter {
    mutating func milliseconds(_ date: Date) {
        integer(Int(date.milliseconds))
    }
}
