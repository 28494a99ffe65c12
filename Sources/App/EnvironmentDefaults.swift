/// Options that the environment sets when the command line does not.
enum EnvironmentDefaults {
    /// The variable behind each option of `serve`.
    static let serve = [
        "--database": "DATABASE_URL", "--host": "HOST", "--port": "PORT",
        "--bcrypt-cost": "BCRYPT_COST", "--log-level": "LOG_LEVEL", "--trusted-proxies": "TRUSTED_PROXIES",
        "--signup-limit": "SIGNUP_LIMIT", "--max-connections": "MAX_CONNECTIONS", "--request-deadline": "REQUEST_DEADLINE",
        "--trips-per-account": "TRIPS_PER_ACCOUNT", "--tombstone-days": "TOMBSTONE_DAYS",
    ]

    /// The command line with each option of its subcommand that is absent but set in the environment added, so flags
    /// win over variables. Only `serve`, the default, and the commands that take one database read the environment.
    static func arguments(_ commandLine: some Collection<String>, environment: [String: String]) -> [String] {
        var arguments = Array(commandLine)
        let variables: [String: String] = switch arguments.first {
        case "export", "import", "backup": ["--database": "DATABASE_URL"]
        case "migrate", "help": [:]
        default: serve
        }
        for (flag, variable) in variables.sorted(by: <) {
            guard let value = environment[variable], !value.isEmpty,
                !arguments.contains(where: { $0 == flag || $0.hasPrefix(flag + "=") })
            else { continue }
            arguments += [flag, value]
        }
        return arguments
    }
}
