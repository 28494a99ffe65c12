import JSON

extension JSONValue {
    /// This document with an RFC 7396 merge patch applied: objects merge key by key, `null` removes a key, and
    /// anything else, arrays included, replaces what was there.
    func merging(_ patch: JSONValue) -> JSONValue {
        guard case .object(let changes) = patch else { return patch }
        guard case .object(var fields) = self else { return JSONValue.object([:]).merging(patch) }
        for (key, change) in changes {
            if change == .null {
                fields.removeValue(forKey: key)
            } else {
                fields[key] = (fields[key] ?? .null).merging(change)
            }
        }
        return .object(fields)
    }
}
