import ArgumentParser
import Foundation

@main
struct Main {
    static func main() async {
        let arguments: [String]
        do {
            arguments = try await ConfigurationSources.arguments(
                Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("trip-planner: \(error)\n".utf8))
            exit(2)
        }
        await TripPlanner.main(arguments)
    }
}

struct TripPlanner: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trip-planner",
        abstract: "Serves the Trip Planner HTTP API, and moves its data between stores.",
        discussion: """
            Every option of serve can also be set by the environment variable named beside it, or by the file that \
            --config names (JSON, or YAML for .yaml and .yml), whose keys are the variables' names in camel case: \
            bcryptCost for BCRYPT_COST, databaseURL for DATABASE_URL. A flag wins over a variable, which wins over the \
            file. The environment's DATABASE_URL also serves --database of export, import and backup.
            """,
        subcommands: [
            Serve.self, Export.self, Import.self, Migrate.self, Backup.self, Users.self, Throttle.self, Stats.self, Audit.self,
        ],
        defaultSubcommand: Serve.self
    )
}
