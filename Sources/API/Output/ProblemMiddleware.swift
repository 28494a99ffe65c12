import Hummingbird
import NIOCore
import NIOHTTP1
import TripCore

/// Turns every error into a problem document; unexpected ones are logged and reach the client as a bare 500.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try problem(for: error, context: context).response(from: request, context: context)
        }
    }

    private func problem(for error: any Error, context: Context) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let invalid as InvalidRecord:
            return .invalid(invalid.errors)
        case let error as StoreError where error.code == .corrupt:
            context.logger.error("Corrupt record", metadata: ["error": "\(error)"])
            return Problem(.internalServerError, "The server failed to handle the request.")
        case let error as StoreError:
            return Self.problem(for: error)
        case is HTTPParserError, is RequestGuard.DeadlineExceeded:
            // RequestGuard has already answered and is closing the connection.
            context.logger.debug("Request body broken off", metadata: ["error": "\(error)"])
            return Problem(.badRequest, "The request body was broken off.")
        case let error as UnusablePasswordHash:
            context.logger.error("Password not checked", metadata: ["error": "\(error)"])
            return Problem(.serviceUnavailable, "This account's password cannot be checked; the server's operator has been told.")
        case is NIOTooManyBytesError:
            return Problem(.contentTooLarge, "The request body exceeds \(Limits.maxBodyBytes) bytes.")
        case let error as HTTPError where error.status.code < 500:
            return Problem(error.status, error.body ?? error.status.reasonPhrase, headers: error.headers)
        default:
            context.logger.error("Request failed", metadata: ["error": "\(String(reflecting: error))"])
            return Problem(.internalServerError, "The server failed to handle the request.")
        }
    }

    private static func problem(for error: StoreError) -> Problem {
        switch error {
        case .notFound where error.record == .account: .unauthorized
        case .notFound where error.record == .share: .shareNotFound
        case .notFound where error.record == .invitation: .invitationNotFound
        case .notFound where error.record == .member: Problem(.notFound, "No such member of this trip.")
        case .notFound: .tripNotFound
        case .duplicateUsername: Problem(.conflict, "That username is taken.")
        case .unknownOwner: .unauthorized
        case .versionConflict: .versionConflict
        case .cursorExpired: .syncFromScratch
        case .tripLimitReached:
            Problem(.unprocessableContent, "The account already holds as many trips as allowed; delete one to make room.")
        case .shareLimitReached:
            Problem(
                .unprocessableContent,
                "The trip already has \(Limits.sharesPerTrip) live share links, as many as allowed; revoke one to make room.")
        case .forbidden: Problem(.forbidden, "Your role in this trip does not allow that.")
        case .alreadyMember: Problem(.conflict, "You are already the owner or a member of this trip.")
        case .memberLimitReached:
            Problem(.conflict, "The trip already has \(Limits.membersPerTrip) members, as many as allowed.")
        case .invitationLimitReached:
            Problem(
                .unprocessableContent,
                "The trip already has \(Limits.invitationsPerTrip) pending invitations, as many as allowed; revoke one to make room.")
        default: Problem(.serviceUnavailable, "The database is unavailable; try again shortly.", headers: [.retryAfter: "2"])
        }
    }
}
