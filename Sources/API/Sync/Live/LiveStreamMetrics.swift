import Metrics

/// What `/metrics` shows of live change streams: how many are open on this process, and why they ended.
enum LiveStreamMetrics {
    static let open = Gauge(label: "live_streams_open")

    static func ended(_ ending: LiveStream.Ending) {
        Counter(label: "live_streams_ended_total", dimensions: [("reason", "\(ending)")]).increment()
    }
}
