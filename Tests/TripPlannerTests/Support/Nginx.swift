import Foundation
import Testing

/// nginx from Debian's package, unprivileged in a folder of its own, serving `deploy/nginx-trip-planner.conf` with its
/// ports, upstream and certificate changed to the test's: a self-signed one for 127.0.0.1 that `request` trusts. A test
/// may change more of it, as a shorter timeout, by `replacing` lines of the file.
final class Nginx: @unchecked Sendable {
    /// The HTTPS port.
    let port: Int
    /// The plain HTTP port, which redirects.
    let plainPort: Int
    private let process = Process()
    private let folder: URL

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    init(upstreamPort: Int, replacing changes: KeyValuePairs<String, String> = [:]) async throws {
        let executable = ["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let nginx = try #require(executable, "nginx is not installed: make test installs it (apt-get install nginx)")
        (port, plainPort) = (try ServerProcess.freePort(), try ServerProcess.freePort())
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("nginx-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let certificate = try await TripPlannerCommand.run(program: "/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", folder.appendingPathComponent("privkey.pem").path,
            "-out", folder.appendingPathComponent("fullchain.pem").path,
        ])
        try #require(certificate.status == 0, "openssl failed: \(certificate.errors)")
        var site = try String(contentsOf: Self.repository.appendingPathComponent("deploy/nginx-trip-planner.conf"), encoding: .utf8)
        for (line, replacement) in changes {
            try #require(site.contains(line), "deploy/nginx-trip-planner.conf has no \(line)")
            site = site.replacingOccurrences(of: line, with: replacement)
        }
        site = site
            .replacingOccurrences(of: "server 127.0.0.1:8080;", with: "server 127.0.0.1:\(upstreamPort);")
            .replacingOccurrences(of: "listen 80;", with: "listen 127.0.0.1:\(plainPort);")
            .replacingOccurrences(of: "listen 443 ssl;", with: "listen 127.0.0.1:\(port) ssl;")
            .replacingOccurrences(of: "/etc/ssl/trip-planner/", with: folder.path + "/")
        let main = """
            daemon off;
            worker_processes 1;
            pid \(folder.path)/nginx.pid;
            error_log \(folder.path)/error.log warn;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(folder.path)/body;
                proxy_temp_path \(folder.path)/proxy;
                fastcgi_temp_path \(folder.path)/fastcgi;
                uwsgi_temp_path \(folder.path)/uwsgi;
                scgi_temp_path \(folder.path)/scgi;
                \(site)
            }
            """
        try main.write(to: folder.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: nginx)
        process.arguments = ["-p", folder.path, "-c", folder.appendingPathComponent("nginx.conf").path]
        try process.run()
        for _ in 0..<100 {
            if (try? ServerProcess.connects(port: port)) == true { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        let log = (try? String(contentsOf: folder.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
        stop()
        Issue.record("nginx did not listen on \(port): \(log)")
        throw CancellationError()
    }

    /// A request over HTTPS with curl, trusting the test's certificate, from a loopback address of its own.
    func request(
        _ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil, from source: String = "127.0.0.1"
    ) async throws -> (status: Int, body: String) {
        var arguments = [
            "-s", "-o", "-", "-w", "\n%{http_code}", "--cacert", folder.appendingPathComponent("fullchain.pem").path,
            "--interface", source, "-X", method,
        ]
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
        let answer = try await TripPlannerCommand.run(program: "/usr/bin/curl", arguments + ["https://127.0.0.1:\(port)\(path)"])
        try #require(answer.status == 0, "curl failed: \(answer.errors)")
        let output = String(decoding: answer.output, as: UTF8.self)
        let status = output.split(separator: "\n").last.flatMap { Int($0) } ?? 0
        return (status, String(output.dropLast(String(status).count + 1)))
    }

    /// A GET over HTTPS read as it arrives, for a response that streams.
    func stream(_ path: String, headers: [String: String] = [:]) throws -> CurlStream {
        let fields = headers.flatMap { ["-H", "\($0.key): \($0.value)"] }
        let certificate = folder.appendingPathComponent("fullchain.pem").path
        return try CurlStream(["--cacert", certificate] + fields + ["https://127.0.0.1:\(port)\(path)"])
    }

    /// Where plain HTTP on the redirecting port sends the client.
    func redirect(_ path: String) async throws -> String {
        try await RawHTTP.request("GET", port: plainPort, path).headers["location"] ?? ""
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }
}
