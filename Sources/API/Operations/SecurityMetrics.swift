import Metrics

/// The instruments that show load on the password checks and the defences in front of them.
enum SecurityMetrics {
    static let bcryptRunning = Gauge(label: "bcrypt_running")
    static let bcryptWaiting = Gauge(label: "bcrypt_waiting")
    static let throttledLogins = Counter(label: "login_throttle_refusals_total")
    static let cacheHits = Counter(label: "verified_login_cache_total", dimensions: [("result", "hit")])
    static let cacheMisses = Counter(label: "verified_login_cache_total", dimensions: [("result", "miss")])
}
