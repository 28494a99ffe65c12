import Foundation
import HTTPTypes
import Hummingbird
import JSON
import TripCore

/// Planning together: the owner invites by link, whoever opens the link first joins with its role, the owner changes
/// roles and removes members, and a member may leave.
struct MemberController<Store: MemberStore & AttemptStore, Credentials: CredentialStore> {
    let store: Store
    let verifier: CredentialVerifier<Credentials>
    /// Stamps new invitations and tells which have expired.
    let clock: WallClock
    /// Invitations created per account in a window.
    let invitations: RateLimit<Store>

    func addRoutes(to router: Router<TripRequestContext>) {
        router.group("trips")
            .add(middleware: AuthMiddleware(verifier: verifier))
            .post(":id/invitations", use: invite)
            .get(":id/invitations", use: listInvitations)
            .delete(":id/invitations/:invitationID", use: revoke)
            .get(":id/members", use: listMembers)
            .put(":id/members/:username", use: setRole)
            .delete(":id/members/:username", use: remove)
        router.group("join")
            .add(middleware: AuthMiddleware(verifier: verifier))
            .post(":token", use: join)
    }

    @Sendable func invite(_ request: Request, context: TripRequestContext) async throws -> Response {
        let body = try await InvitationRequest(request)
        let owner = try context.caller.id
        let now = clock.now
        let invitation = Invitation(
            id: InvitationID(ObjectID(date: now)), trip: try context.tripID, role: body.role, createdAt: now,
            expiresAt: now.addingTimeInterval(TimeInterval(body.expiresInDays * 86400)))
        let token = Base64URL.randomToken()
        try await invitations.spending(.invitations(owner)) {
            try await store.createInvitation(
                invitation, tokenDigest: CredentialDigester.tokenDigest(token), owner: owner, limit: Limits.invitationsPerTrip)
        }
        return try .json(
            InvitationBody(invitation: invitation, url: "/join/\(token)"), status: .created, headers: [.cacheControl: "no-store"])
    }

    @Sendable func listInvitations(_ request: Request, context: TripRequestContext) async throws -> Response {
        let pending = try await store.invitations(of: try context.tripID, owner: try context.caller.id, at: clock.now)
        return try .json(pending.map { InvitationBody(invitation: $0) }, headers: [.cacheControl: "no-store"])
    }

    @Sendable func revoke(_ request: Request, context: TripRequestContext) async throws -> HTTPResponse.Status {
        let trip = try context.tripID
        let owner = try context.caller.id
        guard let id = context.parameters.get("invitationID").flatMap(InvitationID.init) else {
            _ = try await store.invitations(of: trip, owner: owner, at: clock.now)
            throw Problem.invitationNotFound
        }
        try await store.deleteInvitation(id, of: trip, owner: owner, at: clock.now)
        return .noContent
    }

    /// Unknown, used, revoked and expired tokens are one 404; the owner or a member joining again is a 409.
    @Sendable func join(_ request: Request, context: TripRequestContext) async throws -> Response {
        let member = try context.caller.id
        guard let digest = LinkToken.digest(ofPathSegment: context.parameters.get("token") ?? "") else {
            throw Problem.invitationNotFound
        }
        let trip = try await store.join(tokenDigest: digest, member: member, at: clock.now, limit: Limits.membersPerTrip)
        return .trip(trip, headers: [.location: "/trips/\(trip.id)"])
    }

    @Sendable func listMembers(_ request: Request, context: TripRequestContext) async throws -> Response {
        let members = try await store.members(of: try context.tripID, reader: try context.caller.id)
        return try .json(members.map(MemberBody.init), headers: [.cacheControl: "no-store"])
    }

    @Sendable func setRole(_ request: Request, context: TripRequestContext) async throws -> Response {
        let role = try await RoleRequest(request).role
        let member = try await store.setRole(
            role, of: memberName(context), trip: try context.tripID, owner: try context.caller.id)
        return try .json(MemberBody(member), headers: [.cacheControl: "no-store"])
    }

    /// The owner removes anyone; a member removes only themself, which is leaving.
    @Sendable func remove(_ request: Request, context: TripRequestContext) async throws -> HTTPResponse.Status {
        try await store.removeMember(memberName(context), trip: try context.tripID, by: try context.caller.id)
        return .noContent
    }

    /// The `:username` of a member route; a name no account can have is looked up as the empty name, which none has, so
    /// that a stranger is still told only that there is no such trip.
    private func memberName(_ context: TripRequestContext) -> String {
        let name = context.parameters.get("username") ?? ""
        return UsernameRule.allows(name) ? name : ""
    }
}
