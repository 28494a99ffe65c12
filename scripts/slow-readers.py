"""make bench, second part: 20 clients read the largest pages of trips slowly at once, and the server's peak
resident memory must stay under 200 MiB. Every trip is as large as the limits allow (1,000 waypoints with
200-character names, about 250 KB); each reader follows the Link header through all of them, reading 16 KiB
every 20 ms through a small receive buffer."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

from bench import BINARY, PASSWORD, basic, free_port, request

READERS, TRIPS, TARGET_MIB = 20, 120, 200


def call(method, url, body=None, headers=None):
    status, answer = request(method, url, body, headers)
    if not 200 <= status < 300:
        sys.exit(f"{method} {url}: {status}")
    return json.loads(answer or b"null")


def peak_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024


def slow_read(port, token, errors):
    path = "/trips?limit=100"
    while path:
        with socket.create_connection(("127.0.0.1", port)) as connection:
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 * 1024)
            connection.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                               "Connection: close\r\n\r\n".encode())
            answer = b""
            while chunk := connection.recv(16 * 1024):
                answer += chunk
                time.sleep(0.02)
        head = answer.split(b"\r\n\r\n", 1)[0].decode()
        if not head.startswith("HTTP/1.1 200"):
            errors.append(head.splitlines()[0])
            return
        links = [line for line in head.splitlines() if line.lower().startswith("link:")]
        path = links[0].split("<", 1)[1].split(">", 1)[0] if links else None


def main():
    if not os.path.exists(BINARY):
        sys.exit("build first: swift build -c release --product trip-planner")
    work = tempfile.mkdtemp(prefix="slow-readers-")
    port = free_port()
    server = subprocess.Popen([BINARY, "--database", f"sqlite:{work}/trips.sqlite", "--port", str(port),
                               "--log-level", "error", "--signup-limit", "0"])
    try:
        base = f"http://127.0.0.1:{port}"
        while request("GET", base + "/ready")[0] != 200:
            time.sleep(0.1)
        call("POST", base + "/users", {"username": "traveller", "password": PASSWORD})
        token = call("POST", base + "/tokens", headers={"Authorization": basic("traveller")})["token"]
        trip = {"name": "Largest", "waypoints": [
            {"name": "w" * 200, "latitude": 45.0 + i / 1000, "longitude": 7.0 + i / 1000} for i in range(1000)]}
        for _ in range(TRIPS):
            call("POST", base + "/trips", trip, {"Authorization": f"Bearer {token}"})
        before = peak_mib(server.pid)
        errors = []
        readers = [threading.Thread(target=slow_read, args=(port, token, errors)) for _ in range(READERS)]
        started = time.time()
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join()
        peak = peak_mib(server.pid)
        verdict = "met" if peak < TARGET_MIB and not errors else "MISSED"
        print(f"{READERS} slow readers of {TRIPS} trips of ~250 KB, in {time.time() - started:.0f} s: "
              f"peak resident {peak:.0f} MiB (after seeding {before:.0f} MiB), target < {TARGET_MIB} MiB: {verdict}"
              + (f"; errors: {errors[:3]}" if errors else ""))
        return 0 if verdict == "met" else 1
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
