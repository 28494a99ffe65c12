import Foundation
import Logging
import ServiceLifecycle
import TripCore

/// Forgets deletions older than `retention`, once per `interval` from start until shutdown; cursors from before
/// the forgotten ones are then answered 410, and their clients sync from scratch. Deletes expired share links too.
public struct TombstonePurge<Store: ChangeFeedStore & ShareStore>: Service {
    let store: Store
    let retention: Duration
    let interval: Duration
    /// What a deletion's age and a share's expiry are measured against; the interval runs on the system's clock.
    let clock: WallClock
    let logger: Logger

    public init(
        store: Store, retention: Duration, interval: Duration = .seconds(3600), clock: WallClock, logger: Logger
    ) {
        self.store = store
        self.retention = retention
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: interval)) != nil {
                await purge()
            }
        }
    }

    /// One round: what `run` does once per interval.
    func purge() async {
        let now = clock.now
        let cutoff = now.addingTimeInterval(-Double(retention.components.seconds))
        do {
            let purged = try await store.purgeTombstones(deletedBefore: cutoff)
            logger.info("Purged old tombstones", metadata: ["tombstones": "\(purged)"])
        } catch {
            logger.warning("Purging old tombstones failed; trying again later", metadata: ["error": "\(error)"])
        }
        do {
            let purged = try await store.purgeExpiredShares(expiredBy: now)
            logger.info("Purged expired share links", metadata: ["shares": "\(purged)"])
        } catch {
            logger.warning("Purging expired share links failed; trying again later", metadata: ["error": "\(error)"])
        }
    }
}
