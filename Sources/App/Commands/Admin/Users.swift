import ArgumentParser

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lists, shows, disables, enables and deletes accounts, and revokes their tokens or sets their password.",
        discussion: """
            Safe while servers serve the same database: a change takes effect at every server's next request. Each \
            change is recorded in the audit trail (trip-planner audit) with the operating-system user and host. Exit \
            status 1 when refused (an unknown user, a bad password), 2 when the database cannot be reached.
            """,
        subcommands: [
            ListUsers.self, ShowUser.self, DisableUser.self, EnableUser.self, RevokeTokens.self, SetPassword.self, DeleteUser.self,
        ])
}
