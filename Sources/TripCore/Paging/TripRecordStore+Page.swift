extension TripRecordStore {
    /// One page of the trips the reader owns or is a member of (in `role`, if given), in id order after `after`,
    /// which need not exist any more.
    public func tripPage(reader: OwnerID, role: TripRole? = nil, after: TripID?, budget: PageBudget) async throws -> JSONPage<Trip> {
        try await budget.fill(
            fetch: { (last: Trip?, bound) in try await trips(reader: reader, role: role, after: last?.id ?? after, bound: bound) },
            write: { writer, trip in writer.trip(trip) })
    }
}
