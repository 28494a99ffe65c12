import ArgumentParser
import Foundation

@main
struct Main {
    static func main() async {
        let environment = ProcessInfo.processInfo.environment
        await TripPlanner.main(EnvironmentDefaults.arguments(CommandLine.arguments.dropFirst(), environment: environment))
    }
}

struct TripPlanner: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trip-planner",
        abstract: "Serves the Trip Planner HTTP API, and moves its data between stores.",
        discussion: "Every option of serve can also be set by the environment variable named beside it, as can --database of export, import and backup; a flag wins over the variable.",
        subcommands: [Serve.self, Export.self, Import.self, Migrate.self, Backup.self],
        defaultSubcommand: Serve.self
    )
}
