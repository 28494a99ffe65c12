import Hummingbird
import Logging
import Prometheus

/// `/metrics` in Prometheus's text format, on a listener of its own so that it is never served on the API's port.
public func buildMetricsServer(registry: PrometheusCollectorRegistry, host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
    let router = Router()
    router.get("metrics") { _, _ in
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16_384)
        registry.emit(into: &buffer)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }
    return Application(
        router: router, configuration: .init(address: .hostname(host, port: port), serverName: "trip-planner-metrics"),
        logger: logger)
}
