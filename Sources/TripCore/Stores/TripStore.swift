/// Everything the server keeps, one focused protocol per kind of record; a component asks for only the ones it uses.
///
/// Any method of these protocols may also throw `StoreError.unavailable` when the database cannot be reached, is
/// too busy, or the store has been closed; the call may then be retried. Anything else a store throws is a fault.
public typealias TripStore = StoreLifecycle & AccountStore & TokenStore & TripRecordStore & ShareStore & ChangeFeedStore
    & AttemptStore & MemberStore & LiveFeedStore
