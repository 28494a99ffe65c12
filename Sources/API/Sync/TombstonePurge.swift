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
    let logger: Logger

    public init(store: Store, retention: Duration, interval: Duration = .seconds(3600), logger: Logger) {
        self.store = store
        self.retention = retention
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: interval)) != nil {
                await purge()
            }
        }
    }

    private func purge() async {
        let cutoff = Date.storeNow.addingTimeInterval(-Double(retention.components.seconds))
        do {
            let purged = try await store.purgeTombstones(deletedBefore: cutoff)
            logger.info("Purged old tombstones", metadata: ["tombstones": "\(purged)"])
        } catch {
            logger.warning("Purging old tombstones failed; trying again later", metadata: ["error": "\(error)"])
        }
        do {
            let purged = try await store.purgeExpiredShares(expiredBy: .storeNow)
            logger.info("Purged expired share links", metadata: ["shares": "\(purged)"])
        } catch {
            logger.warning("Purging expired share links failed; trying again later", metadata: ["error": "\(error)"])
        }
    }
}
