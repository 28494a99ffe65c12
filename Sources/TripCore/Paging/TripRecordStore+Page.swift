extension TripRecordStore {
    /// One page of the owner's trips in id order after `after`, which need not exist any more.
    public func tripPage(owner: OwnerID, after: TripID?, budget: PageBudget) async throws -> JSONPage<Trip> {
        try await budget.fill(
            fetch: { (last: Trip?, bound) in try await trips(owner: owner, after: last?.id ?? after, bound: bound) },
            write: { writer, trip in writer.trip(trip) })
    }
}
