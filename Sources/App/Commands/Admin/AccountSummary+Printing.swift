import TripCore

extension AccountSummary {
    static let tableHeader = ["USERNAME", "ID", "CREATED", "TRIPS", "TOKENS", "SHARES", "DISABLED"]

    var tableRow: [String] {
        [
            user.username, user.id.description, AdminConsole.timestamp(user.createdAt), "\(tripsOwned)", "\(liveTokens)",
            "\(liveShares)", disablement.map { "since \(AdminConsole.timestamp($0.since)): \($0.reason)" } ?? "no",
        ]
    }

    var jsonObject: [String: Any] {
        var object: [String: Any] = [
            "username": user.username, "id": user.id.description, "createdAt": AdminConsole.timestamp(user.createdAt),
            "trips": tripsOwned, "tokens": liveTokens, "shares": liveShares, "disabled": disablement != nil,
        ]
        if let disablement {
            object["disabledAt"] = AdminConsole.timestamp(disablement.since)
            object["disabledReason"] = disablement.reason
        }
        return object
    }
}
