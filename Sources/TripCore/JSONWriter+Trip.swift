import JSON

extension JSONWriter {
    /// Waypoints in their stored spelling, copied as they are.
    public mutating func waypoints(_ waypoints: Waypoints) {
        waypoints.json.withUnsafeBytes { fragment($0) }
    }

    public mutating func id(_ id: RecordID<some Any>) {
        id.objectID.withUnsafeBytes { hexString($0) }
    }
}
