import Logging
import ServiceLifecycle
import Synchronization
import TripCore

/// The live change streams open on this process, and the one loop that serves them all. Every `poll` it reads, in
/// one store call for every stream, where their readers' feeds end and whether the credentials that opened them still
/// hold: it wakes the streams whose feed moved, whichever process wrote the change, ends those whose credentials were
/// revoked or whose client took nothing for two heartbeats while events waited, and asks idle ones for a heartbeat. Tokens are checked every `tokenCheck`, accounts every poll.
public final class ChangeStreams<Store: ChangeFeedStore & LiveFeedStore>: Service, Sendable {
    private struct Registry {
        var streams: [Int: LiveStream] = [:]
        var opened = 0
        /// The loop, idle while no stream is open.
        var idleLoop: CheckedContinuation<Void, Never>?
    }

    let store: Store
    let settings: LiveStreamSettings
    /// The bytes all streams' outboxes may hold together.
    let budget: UnsentBudget
    let clock: WallClock
    private let logger: Logger
    private let registry = Mutex(Registry())

    public init(store: Store, settings: LiveStreamSettings = LiveStreamSettings(), clock: WallClock, logger: Logger) {
        self.store = store
        self.settings = settings
        budget = UnsentBudget(limit: settings.unsentBytesInAll)
        self.clock = clock
        self.logger = logger
    }

    /// Registers a stream of `reader`'s feed, which has sent it through `latest`; past `perAccount` streams of the
    /// reader, their oldest ends.
    func open(reader: OwnerID, proof: Identity.Proof, outbox: Outbox, sentThrough latest: Int64) -> LiveStream {
        let (stream, replaced, idleLoop) = registry.withLock { registry in
            registry.opened += 1
            let stream = LiveStream(number: registry.opened, reader: reader, proof: proof, outbox: outbox, sentThrough: latest)
            let readers = registry.streams.values.filter { $0.reader == reader }.sorted { $0.number < $1.number }
            let replaced = readers.prefix(max(0, readers.count + 1 - settings.perAccount))
            for old in replaced { registry.streams[old.number] = nil }
            registry.streams[stream.number] = stream
            LiveStreamMetrics.open.record(registry.streams.count)
            defer { registry.idleLoop = nil }
            return (stream, Array(replaced), registry.idleLoop)
        }
        for old in replaced { old.end(.replaced) }
        idleLoop?.resume()
        return stream
    }

    func close(_ stream: LiveStream) {
        registry.withLock { registry in
            registry.streams[stream.number] = nil
            LiveStreamMetrics.open.record(registry.streams.count)
        }
    }

    /// How many streams are open; what `/metrics` and tests read.
    var count: Int { registry.withLock { $0.streams.count } }

    public func run() async throws {
        await cancelWhenGracefulShutdown { [self] in
            var lastTokenCheck = ContinuousClock.now - settings.tokenCheck
            while !Task.isCancelled {
                await waitForStreams()
                guard (try? await Task.sleep(for: settings.poll)) != nil else { return }
                let now = ContinuousClock.now
                let checksTokens = now - lastTokenCheck >= settings.tokenCheck
                if checksTokens { lastTokenCheck = now }
                await check(tokens: checksTokens)
            }
        }
    }

    /// One round of the loop: the store read, then each stream told what it changed for it.
    func check(tokens checksTokens: Bool) async {
        let streams = registry.withLock { Array($0.streams.values) }
        let now = ContinuousClock.now
        for stream in streams {
            if stream.outbox.isStalled(longerThan: settings.heartbeat * 2, now: now) { stream.end(.slowReader) }
            stream.heartbeatIfIdle(for: settings.heartbeat, now: now)
        }
        let readers = Array(Set(streams.map(\.reader)))
        let digests = checksTokens ? Array(Set(streams.compactMap { stream -> String? in
            if case .token(let digest) = stream.proof { digest } else { nil }
        })) : []
        let state: LiveFeedState
        do {
            state = try await store.liveFeedState(readers: readers, tokenDigests: digests, at: clock.now)
        } catch {
            logger.warning("Reading the state of live streams failed; trying again", metadata: ["error": "\(error)"])
            return
        }
        for stream in streams {
            guard let standing = state.readers[stream.reader], !standing.isDisabled else {
                stream.end(.revoked)
                continue
            }
            switch stream.proof {
            case .password(let hash) where hash != standing.passwordHash:
                stream.end(.revoked)
                continue
            case .token(let digest) where checksTokens && !state.liveTokens.contains(digest):
                stream.end(.revoked)
                continue
            default:
                stream.feedEnds(at: standing.latest)
            }
        }
    }

    private func waitForStreams() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let open = registry.withLock { registry in
                    if !registry.streams.isEmpty || Task.isCancelled { return true }
                    registry.idleLoop = continuation
                    return false
                }
                if open { continuation.resume() }
            }
        } onCancel: {
            let idleLoop = registry.withLock { registry in
                defer { registry.idleLoop = nil }
                return registry.idleLoop
            }
            idleLoop?.resume()
        }
    }
}

/// How often `ChangeStreams` looks, and how much a stream may hold.
public struct LiveStreamSettings: Sendable {
    public var poll: Duration = .milliseconds(100)
    public var tokenCheck: Duration = .seconds(1)
    public var heartbeat: Duration = .seconds(Int64(Limits.streamHeartbeatSeconds))
    public var perAccount = Limits.streamsPerAccount
    public var unsentBytes = Limits.streamUnsentBytes
    /// Bytes all streams of the process may hold unsent together; past it, the stream sending is closed.
    public var unsentBytesInAll = Limits.streamUnsentBytesInAll

    public init() {}
}
