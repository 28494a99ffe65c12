import ArgumentParser
import ConfigFiles
import Configuration
import Foundation
import SystemPackage

/// Fills the options a command line leaves out: from the environment, then, for `serve`, from the file that `--config`
/// names. Flags win over variables, which win over the file. Each source is checked on its own, so that a bad value
/// is reported with the source it came from.
enum ConfigurationSources {
    /// Each option of `serve` with its key in a config file; its environment variable is the key in upper snake case,
    /// `bcryptCost` being `BCRYPT_COST`.
    static let serve: [(flag: String, key: String)] = [
        ("--database", "databaseURL"), ("--host", "host"), ("--port", "port"), ("--bcrypt-cost", "bcryptCost"),
        ("--log-level", "logLevel"), ("--log-format", "logFormat"), ("--trusted-proxies", "trustedProxies"),
        ("--cors-origins", "corsOrigins"), ("--signup-limit", "signupLimit"), ("--max-connections", "maxConnections"),
        ("--request-deadline", "requestDeadline"), ("--trips-per-account", "tripsPerAccount"),
        ("--trip-creation-limit", "tripCreationLimit"), ("--shared-page-limit", "sharedPageLimit"),
        ("--tombstone-days", "tombstoneDays"), ("--shutdown-delay", "shutdownDelay"), ("--metrics-port", "metricsPort"),
        ("--stream-heartbeat", "streamHeartbeat"), ("--stream-memory", "streamMemory"),
    ]

    /// The command line with the options it lacks filled in from the other sources.
    static func arguments(_ commandLine: [String], environment: [String: String]) async throws(SourceError) -> [String] {
        let environmentReader = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
        switch commandLine.first {
        case "export", "import", "backup":
            return commandLine + missing(from: commandLine, [("--database", "databaseURL")], in: environmentReader)
        case "stats", "audit":
            return commandLine + missing(from: commandLine, [("--database", "databaseURL")], in: environmentReader)
        case "users", "throttle":
            // Only a subcommand takes options; `users` alone, or with --help, prints help.
            guard commandLine.count > 1, !commandLine[1].hasPrefix("-") else { return commandLine }
            let hashing: [(flag: String, key: String)] = commandLine[1] == "set-password" ? [("--bcrypt-cost", "bcryptCost")] : []
            return commandLine + missing(from: commandLine, [("--database", "databaseURL")] + hashing, in: environmentReader)
        case "migrate", "help":
            return commandLine
        default:
            let subcommand = commandLine.first == "serve" ? ["serve"] : []
            let flags = Array(commandLine.dropFirst(subcommand.count))
            do {
                _ = try Serve.parse(flags)
            } catch {
                guard Serve.exitCode(for: error) != .success else { return commandLine }
                throw SourceError(description: "in the command line: \(firstLine(of: error))")
            }
            let variables = missing(from: flags, serve, in: environmentReader)
            try check(flags + variables, source: "the environment")
            guard let path = value(of: "--config", in: flags) ?? environment["CONFIG_FILE"] else {
                return subcommand + flags + variables
            }
            let file = try reader(forFile: path)
            let settings = missing(from: flags + variables, serve, in: file)
            try check(flags + variables + settings, source: path)
            return subcommand + flags + variables + settings
        }
    }

    /// A value that the command line, a variable or the file gave and `serve` refuses.
    struct SourceError: Error, CustomStringConvertible {
        let description: String
    }

    private static func check(_ arguments: [String], source: String) throws(SourceError) {
        do {
            _ = try Serve.parse(arguments)
        } catch {
            throw SourceError(description: "in \(source): \(firstLine(of: error))")
        }
    }

    private static func firstLine(of error: any Error) -> String {
        Serve.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
    }

    /// Each option absent from `arguments` that `reader` has, as a flag and its value.
    private static func missing(from arguments: [String], _ options: [(flag: String, key: String)], in reader: ConfigReader) -> [String] {
        options.flatMap { flag, key -> [String] in
            guard value(of: flag, in: arguments) == nil, let value = text(ConfigKey(key), in: reader), !value.isEmpty else { return [] }
            return [flag, value]
        }
    }

    /// The value as text, whatever type the source gave it: a file may hold `8080` or `"8080"`, and a list of proxies.
    private static func text(_ key: ConfigKey, in reader: ConfigReader) -> String? {
        reader.string(forKey: key) ?? reader.int(forKey: key).map(String.init) ?? reader.double(forKey: key).map { "\($0)" }
            ?? reader.stringArray(forKey: key)?.joined(separator: ",")
    }

    private static func value(of flag: String, in arguments: [String]) -> String? {
        for (index, argument) in arguments.enumerated() {
            if argument == flag { return index + 1 < arguments.count ? arguments[index + 1] : "" }
            if argument.hasPrefix(flag + "=") { return String(argument.dropFirst(flag.count + 1)) }
        }
        return nil
    }

    /// A JSON file, or YAML when its name ends in `.yaml` or `.yml`, read whole up to `Limits.configFileBytes` and
    /// checked before a parser sees it: UTF-8, and for YAML no anchors, aliases or deep flow nesting. Only the
    /// settings `serve` reads are kept.
    private static func reader(forFile path: String) throws(SourceError) -> ConfigReader {
        let bytes = try ConfigFile.read(path)
        let snapshot: any ConfigSnapshot
        do {
            if path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
                do {
                    try YAMLStructureCheck.check(bytes)
                } catch {
                    throw SourceError(description: "in \(path): line \(error.line): \(error.reason)")
                }
                snapshot = try YAMLSnapshot(data: bytes.span.bytes, providerName: path, parsingOptions: .default)
            } else {
                snapshot = try JSONSnapshot(data: bytes.span.bytes, providerName: path, parsingOptions: .default)
            }
        } catch let error as SourceError {
            throw error
        } catch {
            throw SourceError(description: "cannot read the config file \(path): \(error)")
        }
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (_, key) in serve {
            let absolute = AbsoluteConfigKey(ConfigKey(key))
            for type in [ConfigType.string, .int, .double, .stringArray] {
                if let value = try? snapshot.value(forKey: absolute, type: type).value {
                    values[absolute] = value
                    break
                }
            }
        }
        return ConfigReader(provider: InMemoryProvider(name: path, values: values))
    }
}
