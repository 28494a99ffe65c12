import Foundation
import Hummingbird
import TripCore

/// An RFC 9457 problem document: the only error body a client ever sees.
public struct Problem: Error, HTTPResponseError {
    public typealias FieldError = TripCore.FieldError

    public let status: HTTPResponse.Status
    public let detail: String
    /// A URI reference naming the kind of problem, where a client is expected to act on the kind rather than the status.
    public var type = "about:blank"
    public var errors: [FieldError] = []
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ detail: String, errors: [FieldError] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = Self.contentType
        let requestID = (context as? TripRequestContext)?.requestID
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try document(requestID: requestID))))
    }

    static let contentType = "application/problem+json"

    func document(requestID: String? = nil) throws -> Data {
        try JSONEncoder.api.encode(
            Document(
                type: type, title: status.reasonPhrase, status: status.code, detail: detail,
                errors: errors.isEmpty ? nil : errors, requestId: requestID)
        )
    }

    private struct Document: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let errors: [FieldError]?
        let requestId: String?
    }
}

extension Problem {
    static let unauthorized = Problem(
        .unauthorized, "Valid credentials are required: HTTP Basic or a Bearer token.",
        headers: [.wwwAuthenticate: #"Basic realm="trip-planner", Bearer realm="trip-planner""#]
    )
    /// The credentials are right, or not checked, but an operator disabled the account.
    static let accountDisabled = {
        var problem = Problem(.forbidden, "This account is disabled; its operator can say why.")
        problem.type = "/problems/account-disabled"
        return problem
    }()
    static let tripNotFound = Problem(.notFound, "No such trip.")
    static let shareNotFound = Problem(.notFound, "No such share: it may have been revoked, or have expired.")
    static let invitationNotFound = Problem(.notFound, "No such invitation: it may have been used or revoked, or have expired.")
    static let versionConflict = Problem(.preconditionFailed, "The trip's version does not meet If-Match or If-None-Match.")
    /// A patch sent without preconditions met a newer version each time it was applied.
    static let keptChanging = Problem(.conflict, "The trip kept changing while the patch was applied; send it again.")

    /// A change cursor the feed can no longer answer for: the client must sync again without `since`.
    static let syncFromScratch = {
        var problem = Problem(
            .gone, "The cursor is from another database, or from before deletions since forgotten; sync again without since.")
        problem.type = syncFromScratchType
        return problem
    }()
    static let syncFromScratchType = "/problems/sync-from-scratch"

    static func invalid(_ errors: [FieldError]) -> Problem {
        Problem(.unprocessableContent, "The request body has invalid fields.", errors: errors)
    }

    static func badQuery(_ detail: String) -> Problem {
        Problem(.badRequest, detail)
    }
}
