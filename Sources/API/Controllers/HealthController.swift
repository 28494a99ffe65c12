import Hummingbird
import TripCore

/// Liveness, readiness and the API's description.
struct HealthController<Store: StoreLifecycle> {
    let store: Store
    /// Once it is draining, `/ready` answers 503 whatever the store says.
    let shutdown: ShutdownDelay?

    func addRoutes(to router: Router<TripRequestContext>) {
        router.get("health") { _, _ in try Response.json(["status": "ok"]) }
        router.get("ready", use: ready)
        let document = ByteBuffer(bytes: OpenAPIDocument.json)
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: document))
        }
    }

    @Sendable func ready(_ request: Request, context: TripRequestContext) async throws -> Response {
        if shutdown?.isDraining == true {
            throw Problem(.serviceUnavailable, "The server is shutting down.")
        }
        do {
            try await store.checkAvailability()
        } catch {
            context.logger.warning("Store not ready", metadata: ["error": "\(error)"])
            throw StoreError.unavailable
        }
        return try .json(["status": "ready"])
    }
}
