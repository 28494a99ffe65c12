import Foundation
import Testing

/// A web client in a real browser, headless Chromium, on a page of another origin than the API's: two real server
/// processes on one SQLite file allow that origin; an origin they do not allow is refused by the browser itself.
@Suite struct CORSBrowserTests {
    /// The page posts one result to its own origin, and the test waits for it: `--dump-dom` would return while the
    /// stream is still open.
    private static func result(of page: PageOrigin, at url: String) async throws -> [String: Any] {
        let browser = try Chromium(opening: url)
        defer { browser.close() }
        try await waitUntil("the page posts its result", within: .seconds(90)) { page.result != nil }
        return Data(try #require(page.result).utf8).jsonObject
    }

    /// Serves the page on an origin of its own, with a fresh SQLite file for the servers the test starts.
    private static func withPage(_ body: @Sendable (PageOrigin, _ database: String) async throws -> Void) async throws {
        let database = try ServerProcess.database(for: .sqliteFile)
        defer { ServerProcess.removeFiles(of: database) }
        try await PageOrigin.serving(page) { try await body($0, database) }
    }

    private static func signUpAlice(port: Int) async throws {
        let signUp = try await RawHTTP.request("POST", port: port, "/users", body: #"{"username":"alice","password":"password1"}"#)
        #expect(signUp.status == 201)
    }

    @Test(.timeLimit(.minutes(3)))
    func aPageOfAnAllowedOriginSignsInListsTripsAndHearsOfATripCreatedThroughTheOtherProcess() async throws {
        try await Self.withPage { page, database in
            // One process reads the flag, the other the variable.
            let a = try await ServerProcess(database: database, arguments: ["--cors-origins", "https://other.example, \(page.origin)"])
            let b = try await ServerProcess(database: database, environment: ["CORS_ORIGINS": page.origin])
            try await Self.signUpAlice(port: a.port)
            let auth = ["Authorization": basic("alice", "password1")[.authorization]!]
            #expect(try await RawHTTP.request("POST", port: a.port, "/trips", headers: auth, body: #"{"name":"Alps"}"#).status == 201)

            let result = try await Self.result(of: page, at: "\(page.origin)/?a=\(a.port)&b=\(b.port)")
            #expect(result["outcome"] as? String == "received", "\(result)")
            #expect(result["listed"] as? [String] == ["Alps"])
            #expect(result["caughtUp"] as? [String] == ["Alps"], "the catch-up came before synced")
            #expect((result["synced"] as? String)?.isEmpty == false)
            #expect(result["name"] as? String == "From the browser")
            #expect((result["change"] as? String) != result["synced"] as? String)
            #expect((result["requestId"] as? String)?.isEmpty == false, "X-Request-Id is exposed")
            #expect((result["etag"] as? String)?.hasPrefix("\"") == true, "ETag is exposed")
            #expect((result["location"] as? String)?.hasPrefix("/trips/") == true, "Location is exposed")
        }
    }

    /// The same page, served from `http://127.0.0.1:PORT` while the server allows `http://localhost:PORT`: the
    /// browser refuses the preflight's answer, and the page's first `fetch` rejects.
    @Test(.timeLimit(.minutes(3)))
    func theSamePageOfAnOriginNotAllowedIsBlockedByTheBrowser() async throws {
        try await Self.withPage { page, database in
            let a = try await ServerProcess(
                database: database, arguments: ["--cors-origins", "http://localhost:\(page.port)", "--log-level", "info"])
            try await Self.signUpAlice(port: a.port)
            let result = try await Self.result(of: page, at: "\(page.origin)/?a=\(a.port)&b=\(a.port)")
            #expect(result["outcome"] as? String == "blocked", "\(result)")
            #expect(result["error"] as? String == "TypeError")
            a.signal(SIGTERM)
            let log = try await a.log()
            #expect(log.contains("OPTIONS /tokens 405"), "the browser's preflight was answered without CORS: \(log)")
            #expect(!log.contains("POST /tokens"), "so the browser never sent the request")
        }
    }

    /// Signs in on A, lists trips, reads A's stream of changes until `synced`, creates a trip through B and waits for
    /// A's stream to carry it; posts what it saw, where it stopped, or that a `fetch` was refused, to `/result`.
    static let page = #"""
        <!doctype html>
        <title>Trip Planner web client</title>
        <script>
        const query = new URLSearchParams(location.search);
        const a = `http://127.0.0.1:${query.get("a")}`, b = `http://127.0.0.1:${query.get("b")}`;
        let stage = "start", reported = false;
        const seen = {};
        function report(result) {
            if (reported) return;
            reported = true;
            fetch("/result", { method: "POST", body: JSON.stringify({ stage, ...seen, ...result }) });
        }
        function expect(condition, what) {
            if (!condition) throw new Error(what);
        }
        setTimeout(() => report({ outcome: "timeout" }), 60000);

        // Server-Sent Events from a fetch body: fields up to a blank line make an event; lines starting ":" are comments.
        async function* events(response) {
            const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
            let buffer = "", event = { data: [] };
            for (;;) {
                const { value, done } = await reader.read();
                expect(!done, "the stream ended");
                buffer += value;
                let end;
                while ((end = buffer.indexOf("\n")) >= 0) {
                    const line = buffer.slice(0, end).replace(/\r$/, "");
                    buffer = buffer.slice(end + 1);
                    if (line === "") {
                        if (event.type || event.data.length) yield { ...event, data: event.data.join("\n") };
                        event = { data: [] };
                    } else if (!line.startsWith(":")) {
                        const colon = line.indexOf(":");
                        const field = colon < 0 ? line : line.slice(0, colon);
                        const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
                        if (field === "data") event.data.push(text);
                        else if (field === "event") event.type = text;
                        else if (field === "id") event.id = text;
                    }
                }
            }
        }

        async function run() {
            stage = "sign in";
            let issued;
            try {
                const basic = "Basic " + btoa("alice:password1");
                issued = await fetch(`${a}/tokens`, { method: "POST", headers: { Authorization: basic } });
            } catch (error) {
                return report({ outcome: "blocked", error: error.constructor.name, message: String(error) });
            }
            expect(issued.status === 201, `POST /tokens answered ${issued.status}`);
            seen.requestId = issued.headers.get("X-Request-Id");
            const auth = { Authorization: `Bearer ${(await issued.json()).token}` };

            stage = "list";
            seen.listed = (await (await fetch(`${a}/trips`, { headers: auth })).json()).map((trip) => trip.name);

            stage = "open the stream";
            const stream = await fetch(`${a}/changes`, { headers: { ...auth, Accept: "text/event-stream" } });
            expect(stream.status === 200, `GET /changes answered ${stream.status}`);
            expect((stream.headers.get("Content-Type") || "").startsWith("text/event-stream"), "not an event stream");
            const received = events(stream);
            seen.caughtUp = [];
            stage = "catch up";
            for (;;) {
                const { value: event } = await received.next();
                if (event.type === "synced") { seen.synced = event.id; break; }
                if (event.type === "change") seen.caughtUp.push(JSON.parse(event.data).trip?.name);
            }

            stage = "create through B";
            const created = await fetch(`${b}/trips`, {
                method: "POST", headers: { ...auth, "Content-Type": "application/json" },
                body: JSON.stringify({ name: "From the browser", waypoints: [] }),
            });
            expect(created.status === 201, `POST /trips on B answered ${created.status}`);
            const trip = await created.json();
            seen.etag = created.headers.get("ETag");
            seen.location = created.headers.get("Location");

            stage = "live";
            for (;;) {
                const { value: event } = await received.next();
                if (event.type !== "change") continue;
                const change = JSON.parse(event.data);
                if (change.trip?.id !== trip.id) continue;
                return report({ outcome: "received", change: event.id, name: change.trip.name });
            }
        }
        run().catch((error) => report({ outcome: "failed", error: error.constructor.name, message: String(error) }));
        </script>
        """#
}
