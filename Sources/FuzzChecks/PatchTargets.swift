import API
import Foundation
import JSON
import TripCore

extension FuzzTargets {
    /// A merge patch applied to a real trip: the result is no deeper than a request body may be, and validation accepts
    /// it or refuses it with a 4xx.
    static func mergePatch(_ bytes: UnsafeRawBufferPointer) {
        guard let document = try? JSONValue(parsing: bytes) else { return }
        apply(.merge(document))
    }

    /// A JSON Patch applied to a real trip, held to the same as a merge patch; a malformed patch is a 4xx.
    static func jsonPatch(_ bytes: UnsafeRawBufferPointer) {
        guard let document = try? JSONValue(parsing: bytes) else { return }
        do {
            apply(.operations(try JSONPatch(document)))
        } catch {
            checkClientError(error, "a JSON Patch")
        }
    }

    private static func apply(_ patch: TripPatch) {
        let result: JSONValue
        do {
            result = try patch.applied(to: patchedTrip)
        } catch let problem as Problem {
            return checkClientError(problem, "a patch")
        } catch {
            return check(false, "a patch failed with \(error), not a problem document")
        }
        check(result.nesting <= JSONParser.maxDepth, "a patched trip nested \(result.nesting) deep")
        do {
            let draft = try TripDraft(validating: result)
            check(!draft.name.isEmpty, "a trip without a name passed validation")
        } catch {
            checkClientError(error, "a patched trip")
        }
    }

    /// A trip as a store holds one, with waypoints to patch.
    private static let patchedTrip = Trip(
        id: TripID("5f1d7c3a9b8e4d2c1a0f6e5d")!, owner: OwnerID("6a2b3c4d5e6f708192a3b4c5")!, name: "Coast walk",
        waypoints: Waypoints([
            Waypoint(name: "Harbour", latitude: 50.1, longitude: -5.5),
            Waypoint(name: "Lighthouse", latitude: 50.2, longitude: -5.4),
            Waypoint(name: "Cove", latitude: 50.25, longitude: -5.35),
        ]),
        createdAt: Date(milliseconds: 1_764_000_000_000), updatedAt: Date(milliseconds: 1_764_000_360_000), version: 4)
}
