import ArgumentParser

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serves the HTTP API until SIGTERM or SIGINT; the default command.")

    @OptionGroup var options: Options

    func run() async throws {
        try await Server(options: options).run()
    }
}
