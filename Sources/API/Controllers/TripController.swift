import Hummingbird
import JSON
import TripCore

/// The trips a person owns or is a member of: the owner and editors change them, every member reads them, only the owner
/// deletes them; a stranger is told what a trip that does not exist tells.
struct TripController<Store: TripRecordStore & AttemptStore, Credentials: CredentialStore> {
    let store: Store
    let verifier: CredentialVerifier<Credentials>
    let tripsPerAccount: Int
    /// Trips created per account in a window, so that deleted ones cannot pile up tombstones faster than they go.
    let creations: RateLimit<Store>

    func addRoutes(to router: Router<TripRequestContext>) {
        router.group("trips")
            .add(middleware: AuthMiddleware(verifier: verifier))
            .get(use: list)
            .post(use: create)
            .get(":id", use: show)
            .put(":id", use: replace)
            .patch(":id", use: patch)
            .delete(":id", use: delete)
    }

    @Sendable func create(_ request: Request, context: TripRequestContext) async throws -> Response {
        let draft = try TripDraft(validating: try await newTripJSON(of: request, threads: .singleton))
        let owner = try context.caller.id
        try await creations.take(.tripCreations(owner))
        let trip = try await store.createTrip(draft, owner: owner, limit: tripsPerAccount)
        return .trip(trip, status: .created, headers: [.location: "/trips/\(trip.id)"])
    }

    @Sendable func list(_ request: Request, context: TripRequestContext) async throws -> Response {
        let page = try Page(request.uri.queryParameters)
        let trips = try await store.tripPage(
            reader: try context.caller.id, role: page.role, after: page.after, budget: .tripPage(limit: page.limit))
        return .page(trips, limit: page.limit, role: page.role)
    }

    /// The trip as JSON, GeoJSON or GPX; only the JSON carries the version as its ETag and answers 304.
    @Sendable func show(_ request: Request, context: TripRequestContext) async throws -> Response {
        let ifNoneMatch = try EntityTags(request.headers[.ifNoneMatch], name: "If-None-Match")
        let format = try TripFormat(request, offering: TripFormat.owned)
        let trip = try await store.trip(try context.tripID, reader: try context.caller.id)
        switch format {
        case .geoJSON: return try .geoJSON(trip)
        case .gpx: return try .gpx(trip)
        case .json, .html:
            if let ifNoneMatch, ifNoneMatch.matchWeakly(opaque: Substring(trip.entityTag)) { return .notModified(trip) }
            return .trip(trip, headers: [.vary: "Accept"])
        }
    }

    @Sendable func replace(_ request: Request, context: TripRequestContext) async throws -> Response {
        let id = try context.tripID
        let editor = try context.caller.id
        let preconditions = try Preconditions(request.headers)
        let draft = try TripDraft(validating: try await JSONValue.body(of: request))
        let expectedVersion = try await preconditions.expectedVersion { try await store.trip(id, reader: editor).version }
        return .trip(try await store.replaceTrip(id, editor: editor, with: draft, expectedVersion: expectedVersion))
    }

    /// Applies the patch to the trip as it is and replaces it at that version; without preconditions, a trip that
    /// changes meanwhile is read and patched again.
    @Sendable func patch(_ request: Request, context: TripRequestContext) async throws -> Response {
        let id = try context.tripID
        let editor = try context.caller.id
        let preconditions = try Preconditions(request.headers)
        let patch = try await TripPatch(of: request)
        var attempts = 0
        while true {
            attempts += 1
            let current = try await store.trip(id, reader: editor)
            guard current.access?.role.mayEdit ?? false else { throw StoreError.forbidden }
            let draft = try TripDraft(validating: try patch.applied(to: current))
            let expectedVersion = try await preconditions.expectedVersion { current.version } ?? current.version
            guard draft.name != current.name || Waypoints(draft.waypoints).json != current.waypoints.json else {
                guard expectedVersion == current.version else { throw Problem.versionConflict }
                return .trip(current)
            }
            do {
                return .trip(try await store.replaceTrip(id, editor: editor, with: draft, expectedVersion: expectedVersion))
            } catch let error as StoreError where error == .versionConflict && preconditions.isEmpty {
                guard attempts < 3 else { throw Problem.keptChanging }
            }
        }
    }

    @Sendable func delete(_ request: Request, context: TripRequestContext) async throws -> HTTPResponse.Status {
        let id = try context.tripID
        let owner = try context.caller.id
        let expectedVersion = try await Preconditions(request.headers).expectedVersion {
            try await store.trip(id, reader: owner).version
        }
        try await store.deleteTrip(id, owner: owner, expectedVersion: expectedVersion)
        return .noContent
    }
}

/// `?limit=`, `?after=` and `?role=` of a trip listing.
struct Page {
    let limit: Int
    let after: TripID?
    let role: TripRole?

    init(_ query: Parameters) throws {
        limit = try query.limit(in: Limits.pageSize, default: Limits.pageSize.upperBound)
        if let text = query.get("role") {
            guard let role = TripRole(rawValue: text) else { throw Problem.badQuery("role must be owner, editor or viewer.") }
            self.role = role
        } else {
            role = nil
        }
        if let text = query.get("after") {
            guard let after = TripID(text) else { throw Problem.badQuery("after must be a trip id.") }
            self.after = after
        } else {
            after = nil
        }
    }
}

extension Parameters {
    /// `?limit=` within `range`, or `defaultLimit` without one; 400 for anything else.
    func limit(in range: ClosedRange<Int>, default defaultLimit: Int) throws -> Int {
        guard let text = get("limit") else { return defaultLimit }
        guard let limit = Int(decimalDigits: text), range.contains(limit) else {
            throw Problem.badQuery("limit must be an integer from \(range.lowerBound) to \(range.upperBound).")
        }
        return limit
    }
}
