import ArgumentParser
import Foundation

@main
struct Main {
    static func main() async {
        await TripPlanner.main(Options.arguments(CommandLine.arguments.dropFirst(), environment: ProcessInfo.processInfo.environment))
    }
}

struct TripPlanner: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trip-planner",
        abstract: "Serves the Trip Planner HTTP API.",
        discussion: "Every option can also be set by the environment variable named beside it; a flag wins over the variable."
    )

    @OptionGroup var options: Options

    func run() async throws {
        try await Server(options: options).run()
    }
}
