import Foundation
import HTTPTypes
import Hummingbird
import JSON
import TripCore

/// Read-only links to a trip: made, listed and revoked by its owner, opened by anyone who has one. Members may not see
/// them (the store's 403), and a link shows nothing of the members.
struct ShareController<Store: ShareStore, Credentials: CredentialStore> {
    let store: Store
    let verifier: CredentialVerifier<Credentials>
    /// Stamps new shares and tells which have expired.
    let clock: WallClock
    let renditions: SharedRenditions
    /// Requests for shared trips per client address.
    let visits: AddressRateLimit

    func addRoutes(to router: Router<TripRequestContext>) {
        router.group("trips")
            .add(middleware: AuthMiddleware(verifier: verifier))
            .post(":id/shares", use: create)
            .get(":id/shares", use: list)
            .delete(":id/shares/:shareID", use: revoke)
        router.get("s/:token", use: open)
    }

    @Sendable func create(_ request: Request, context: TripRequestContext) async throws -> Response {
        let days = try await ShareRequest(request).expiresInDays
        let now = clock.now
        let share = Share(
            id: ShareID(ObjectID(date: now)), trip: try context.tripID, owner: try context.caller.id, createdAt: now,
            expiresAt: days.map { now.addingTimeInterval(TimeInterval($0 * 86400)) })
        let token = Base64URL.randomToken()
        try await store.createShare(share, tokenDigest: CredentialDigester.tokenDigest(token), limit: Limits.sharesPerTrip)
        return try .json(ShareBody(share: share, url: "/s/\(token)"), status: .created, headers: [.cacheControl: "no-store"])
    }

    @Sendable func list(_ request: Request, context: TripRequestContext) async throws -> Response {
        let shares = try await store.shares(
            of: try context.tripID, owner: try context.caller.id, at: clock.now, limit: Limits.sharesPerTrip)
        return try .json(shares.map { ShareBody(share: $0) }, headers: [.cacheControl: "no-store"])
    }

    @Sendable func revoke(_ request: Request, context: TripRequestContext) async throws -> HTTPResponse.Status {
        guard let id = context.parameters.get("shareID").flatMap(ShareID.init) else { throw Problem.shareNotFound }
        try await store.deleteShare(id, of: try context.tripID, owner: try context.caller.id)
        return .noContent
    }

    /// The shared trip as a page, JSON, GeoJSON or GPX; an unknown, revoked or expired token is the same 404. Each
    /// format of a trip's version is rendered once and kept, with an entity tag of its bytes for `If-None-Match`; while
    /// it is kept, a request reads only the trip's version.
    @Sendable func open(_ request: Request, context: TripRequestContext) async throws -> Response {
        try visits.admit(context.clientAddress, refusal: "Too many requests for shared trips from this address; try again later.")
        let format = try TripFormat(request, offering: TripFormat.shared)
        let ifNoneMatch = try EntityTags(request.headers[.ifNoneMatch], name: "If-None-Match")
        let now = clock.now
        guard let digest = LinkToken.digest(ofPathSegment: context.parameters.get("token") ?? ""),
            let version = try await store.sharedTripVersion(tokenDigest: digest, at: now)
        else {
            return try notFound(request, context: context, as: format)
        }
        let rendition: SharedRendition
        if let kept = renditions.kept(version, as: format) {
            rendition = kept
        } else {
            guard let trip = try await store.sharedTrip(tokenDigest: digest, at: now) else {
                return try notFound(request, context: context, as: format)
            }
            rendition = try await renditions.rendition(of: trip, as: format) { trip in
                switch format {
                case .html: try SharedPage.render(trip)
                case .json: .trip(trip)
                case .geoJSON: try .geoJSON(trip)
                case .gpx: try .gpx(trip)
                }
            }
        }
        var headers = rendition.headers
        headers[.eTag] = rendition.entityTag
        headers[.vary] = "Accept"
        SharedPage.addHeaders(to: &headers, found: true)
        if let ifNoneMatch, ifNoneMatch.matchWeakly(opaque: rendition.opaqueTag) {
            for name in [HTTPField.Name.contentType, .contentDisposition] { headers[name] = nil }
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: rendition.body))
    }

    /// The one answer for an unknown, revoked or expired token: a page, or a problem document.
    private func notFound(_ request: Request, context: TripRequestContext, as format: TripFormat) throws -> Response {
        var response = format == .html ? SharedPage.notFound() : try Problem.shareNotFound.response(from: request, context: context)
        SharedPage.addHeaders(to: &response.headers, found: false)
        return response
    }
}

/// `{"expiresInDays": 1–365}`, or no body at all for a link without expiry.
struct ShareRequest {
    let expiresInDays: Int?

    init(_ request: Request) async throws {
        let hasBody = request.headers[.contentLength].map { $0 != "0" } ?? (request.headers[.transferEncoding] != nil)
        guard hasBody else {
            expiresInDays = nil
            return
        }
        var validator = FieldValidator()
        let fields = try validator.object(try await JSONValue.body(of: request))
        switch fields["expiresInDays"] {
        case nil:
            expiresInDays = nil
        case .number(let days)? where days.rounded() == days && Limits.shareDays.contains(Int(exactly: days) ?? 0):
            expiresInDays = Int(days)
        default:
            validator.fail(
                "/expiresInDays", "must be a whole number of days from \(Limits.shareDays.lowerBound) to \(Limits.shareDays.upperBound)")
            expiresInDays = nil
        }
        _ = try validator.result(())
    }
}
