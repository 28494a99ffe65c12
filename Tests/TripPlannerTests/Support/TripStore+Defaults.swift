@testable import API
import Foundation
import TripCore

extension TripRecordStore {
    /// A trip created under the server's default limit.
    func createTrip(_ draft: TripDraft, owner: OwnerID) async throws -> Trip {
        try await createTrip(draft, owner: owner, limit: Limits.tripsPerAccount)
    }

    /// The first `limit` trips the reader may read after `after`, read however large.
    func trips(owner reader: OwnerID, role: TripRole? = nil, after: TripID?, limit: Int) async throws -> [Trip] {
        try await trips(reader: reader, role: role, after: after, bound: ReadBound(items: limit, bytes: .max)).items
    }

    /// An unconditional delete.
    func deleteTrip(_ id: TripID, owner: OwnerID) async throws {
        try await deleteTrip(id, owner: owner, expectedVersion: nil)
    }
}

extension TokenStore {
    /// A token saved under the server's default limit.
    func saveToken(_ token: AccessToken) async throws {
        try await saveToken(token, keepingNewest: Limits.tokensPerAccount)
    }
}

extension ChangeFeedStore {
    /// A page of changes, without a byte budget unless one is given.
    func changes(owner reader: OwnerID, since: ChangeCursor?, limit: Int = 100, byteBudget: Int = .max) async throws -> ChangePage {
        try await changePage(reader: reader, since: since, budget: PageBudget(limit: limit, byteBudget: byteBudget))
    }
}

extension ShareStore {
    /// A share made under the server's limit.
    func createShare(_ share: Share, tokenDigest: String) async throws {
        try await createShare(share, tokenDigest: tokenDigest, limit: Limits.sharesPerTrip)
    }

    /// The shares unexpired now, as the server lists them.
    func shares(of trip: TripID, owner: OwnerID) async throws -> [Share] {
        try await shares(of: trip, owner: owner, at: .now, limit: Limits.sharesPerTrip)
    }
}

extension Share {
    /// A share created now.
    init(trip: TripID, owner: OwnerID, expiresAt: Date?) {
        self.init(trip: trip, owner: owner, createdAt: .storeNow, expiresAt: expiresAt)
    }
}

extension Trip {
    /// The trip as kept, without a reader's view of it: as archived or shared.
    var stored: Trip {
        var trip = self
        trip.access = nil
        return trip
    }
}

extension TripChange {
    /// The change with its trip as kept.
    var stored: TripChange {
        guard case .saved(let trip) = self else { return self }
        return .saved(trip.stored)
    }
}
