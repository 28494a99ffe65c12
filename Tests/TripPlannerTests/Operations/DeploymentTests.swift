import Foundation
import Testing

/// What docs/deploy.md gives and this machine can run: `scripts/check-deploy.sh` verifies the systemd unit and
/// the nginx configuration.
@Suite struct DeploymentTests {
    @Test(.timeLimit(.minutes(2)))
    func theUnitAndTheNginxConfigurationPassTheirOwnTools() async throws {
        let script = Nginx.repository.appendingPathComponent("scripts/check-deploy.sh").path
        let outcome = try await TripPlannerCommand.run(program: script, [TripPlannerCommand.executable.path])
        #expect(outcome.status == 0, "\(outcome.errors)")
        #expect(String(decoding: outcome.output, as: UTF8.self).contains("nginx -t passed"))
    }
}
