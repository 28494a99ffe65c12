import API
import ArgumentParser
import Logging

/// The options of `serve`.
struct Options: ParsableArguments {
    @Option(help: "sqlite:PATH, sqlite::memory: or mongodb://HOST:PORT/DB  [env: DATABASE_URL]")
    var database = "sqlite:trips.sqlite"

    @Option(help: "Address to listen on  [env: HOST]")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one  [env: PORT]")
    var port = 8080

    @Option(help: "bcrypt cost for new password hashes, \(Limits.bcryptCost.lowerBound) to \(Limits.bcryptCost.upperBound)  [env: BCRYPT_COST]")
    var bcryptCost = 12

    @Option(help: "trace, debug, info, notice, warning, error or critical  [env: LOG_LEVEL]")
    var logLevel = Logger.Level.info

    @Option(help: "text, or json for one JSON object per line  [env: LOG_FORMAT]")
    var logFormat = LogFormat.text

    @Option(help: "Reverse proxies whose X-Forwarded-For is believed: addresses and CIDR ranges, comma-separated  [env: TRUSTED_PROXIES]")
    var trustedProxies = ""

    @Option(help: "Origins whose pages may call the API from a browser (CORS), comma-separated, such as https://app.example.com  [env: CORS_ORIGINS]")
    var corsOrigins = ""

    @Option(help: "Accounts created per client address per hour; 0 for no limit  [env: SIGNUP_LIMIT]")
    var signupLimit = Limits.signUpsPerAddress

    @Option(help: "Connections served at once; default: three quarters of the descriptor limit  [env: MAX_CONNECTIONS]")
    var maxConnections: Int?

    @Option(help: "Seconds a request may take to arrive, headers and body together  [env: REQUEST_DEADLINE]")
    var requestDeadline = Limits.requestDeadlineSeconds

    @Option(help: "Trips one account may hold  [env: TRIPS_PER_ACCOUNT]")
    var tripsPerAccount = Limits.tripsPerAccount

    @Option(help: "Trips one account may create per hour; 0 for no limit  [env: TRIP_CREATION_LIMIT]")
    var tripCreationLimit = Limits.tripCreationsPerWindow

    @Option(help: "Requests for shared trips (/s/...) per client address per minute; 0 for no limit  [env: SHARED_PAGE_LIMIT]")
    var sharedPageLimit = Limits.sharedPageRequestsPerWindow

    @Option(help: "Days a deleted trip stays in the change feed; older cursors are answered 410  [env: TOMBSTONE_DAYS]")
    var tombstoneDays = Limits.tombstoneDays

    @Option(help: "A JSON or YAML file of settings, keyed as the variables are, in camel case: bcryptCost  [env: CONFIG_FILE]")
    var config: String?

    @Option(help: "Port for Prometheus's /metrics, on --host, never the API's port; off when absent  [env: METRICS_PORT]")
    var metricsPort: Int?

    @Option(help: "Seconds to keep serving after SIGTERM with /ready answering 503 before draining; 5 behind a load balancer  [env: SHUTDOWN_DELAY]")
    var shutdownDelay = 0

    @Option(help: "Seconds between heartbeats of an idle live change stream  [env: STREAM_HEARTBEAT]")
    var streamHeartbeat = Limits.streamHeartbeatSeconds

    @Option(help: "MiB of events all live change streams may hold for slow readers; past it, the stream sending is closed  [env: STREAM_MEMORY]")
    var streamMemory = Limits.streamUnsentBytesInAll >> 20

    mutating func validate() throws {
        guard metricsPort.map({ (0...65535).contains($0) && $0 != port }) ?? true else {
            throw ValidationError("--metrics-port must be from 0 to 65535, and not the API's port.")
        }
        guard (0...300).contains(shutdownDelay) else { throw ValidationError("--shutdown-delay must be from 0 to 300.") }
        guard Limits.bcryptCost.contains(bcryptCost) else {
            throw ValidationError("--bcrypt-cost must be from \(Limits.bcryptCost.lowerBound) to \(Limits.bcryptCost.upperBound).")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
        guard TrustedProxies(trustedProxies) != nil else {
            throw ValidationError("--trusted-proxies must list IP addresses or CIDR ranges, such as 10.0.0.0/8,::1.")
        }
        do {
            _ = try AllowedOrigins(corsOrigins)
        } catch {
            throw ValidationError(
                "--cors-origins must list origins such as https://app.example.com or http://127.0.0.1:3000, each a scheme "
                    + "(http or https), a host and an optional port, nothing else, never *; \(String(reflecting: error.entry)) is not one.")
        }
        guard signupLimit >= 0 else { throw ValidationError("--signup-limit must be 0 or more.") }
        guard maxConnections.map({ $0 > 0 }) ?? true else { throw ValidationError("--max-connections must be 1 or more.") }
        guard tripsPerAccount > 0 else { throw ValidationError("--trips-per-account must be 1 or more.") }
        guard tripCreationLimit >= 0 else { throw ValidationError("--trip-creation-limit must be 0 or more.") }
        guard sharedPageLimit >= 0 else { throw ValidationError("--shared-page-limit must be 0 or more.") }
        guard (1...3650).contains(tombstoneDays) else { throw ValidationError("--tombstone-days must be from 1 to 3650.") }
        guard (1...65536).contains(streamMemory) else { throw ValidationError("--stream-memory must be from 1 to 65536.") }
        guard (1...3600).contains(streamHeartbeat) else { throw ValidationError("--stream-heartbeat must be from 1 to 3600.") }
        guard (1...3600).contains(requestDeadline) else { throw ValidationError("--request-deadline must be from 1 to 3600.") }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
