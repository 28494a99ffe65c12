#!/usr/bin/env python3
"""make bench-archive: the rate and peak memory of export, import and migrate between SQLite and MongoDB.

Writes an archive of ARCHIVE_TRIPS trips (default 1,000,000; ten waypoints each, a thousand per user), then with the
release binary: imports it into SQLite, exports that, imports the export into SecantusDB, exports SecantusDB, and
imports that export into a second SQLite; then migrates SQLite to SecantusDB and SecantusDB to SQLite in one process
each. Every run's records per second and peak resident memory (target: under 150 MiB) go into one table, and the
exports are checked to be byte-identical. SecantusDB is far slower than mongod, so the MongoDB rows show its speed more
than this server's; the server's own CPU time per record is given beside each.
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import time

from bench import start_secantus

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "release", "trip-planner")
TRIPS = int(os.environ.get("ARCHIVE_TRIPS", "1000000"))
TRIPS_PER_USER = 1000
MEMORY_TARGET_MIB = 150
WAYPOINTS = [{"latitude": 40 + i / 10, "longitude": 10 + i / 10, "name": f"Stop {i}"} for i in range(10)]
HASH = "$2b$04$" + "a" * 53


def object_id(counter, stamp=int(time.time()), process=random.randbytes(5).hex()):
    return f"{stamp:08x}{process}{counter:06x}"


def write_archive(path):
    """Users, then trips in id order, in the spelling export writes."""
    users = [object_id(i) for i in range((TRIPS + TRIPS_PER_USER - 1) // TRIPS_PER_USER)]
    now = int(time.time() * 1000)
    waypoints = json.dumps(WAYPOINTS, separators=(",", ":"), ensure_ascii=False)
    with open(path, "w") as archive:
        archive.write('{"format":"trip-planner-archive","version":1}\n')
        for number, user in enumerate(users):
            archive.write(f'{{"kind":"user","id":"{user}","username":"user{number}","passwordHash":"{HASH}",'
                          f'"createdAt":{now}}}\n')
        for number in range(TRIPS):
            trip = object_id(len(users) + number)
            archive.write(f'{{"kind":"trip","id":"{trip}","owner":"{users[number // TRIPS_PER_USER]}",'
                          f'"name":"Trip {number}","waypoints":{waypoints},"createdAt":{now},"updatedAt":{now},'
                          f'"version":1}}\n')
    return len(users) + TRIPS


def run(label, arguments, records, rows):
    """Runs one command, sampling its peak resident memory (VmHWM) until it exits."""
    started = time.perf_counter()
    process = subprocess.Popen([BINARY] + arguments, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    cpu = 0.0
    while process.poll() is None:
        try:
            with open(f"/proc/{process.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]) / 1024)
            with open(f"/proc/{process.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
                cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    errors = process.stderr.read().decode()
    if process.returncode != 0:
        sys.exit(f"{label} failed with status {process.returncode}: {errors}")
    rows.append((label, records, seconds, records / seconds, cpu * 1e6 / records, peak))
    print(f"{label}: {errors.strip()}", file=sys.stderr)


def main():
    if not os.path.exists(BINARY):
        sys.exit("build first: swift build -c release --product trip-planner")
    work = tempfile.mkdtemp(prefix="archive-bench-")
    secantus, mongo = start_secantus(work)
    try:
        source = os.path.join(work, "source.jsonl")
        records = write_archive(source)
        files = {name: os.path.join(work, name) for name in ["a.jsonl", "m.jsonl", "b.jsonl"]}
        rows = []
        run("import file -> SQLite", ["import", "--database", f"sqlite:{work}/a.sqlite", "--input", source], records, rows)
        run("export SQLite -> file", ["export", "--database", f"sqlite:{work}/a.sqlite", "--output", files["a.jsonl"]], records, rows)
        run("import file -> MongoDB", ["import", "--database", f"{mongo}/m", "--input", files["a.jsonl"]], records, rows)
        run("export MongoDB -> file", ["export", "--database", f"{mongo}/m", "--output", files["m.jsonl"]], records, rows)
        run("import file -> SQLite", ["import", "--database", f"sqlite:{work}/b.sqlite", "--input", files["m.jsonl"]], records, rows)
        run("export SQLite -> file", ["export", "--database", f"sqlite:{work}/b.sqlite", "--output", files["b.jsonl"]], records, rows)
        run("migrate SQLite -> MongoDB", ["migrate", "--from", f"sqlite:{work}/a.sqlite", "--to", f"{mongo}/n"], records, rows)
        run("migrate MongoDB -> SQLite", ["migrate", "--from", f"{mongo}/n", "--to", f"sqlite:{work}/c.sqlite"], records, rows)
        identical = all(open(files[name], "rb").read() == open(source, "rb").read() for name in files)
        print(f"\n{TRIPS:,} trips, {records:,} records; exports byte-identical to the archive: {identical}")
        print(f"{'run':28} {'seconds':>8} {'records/s':>10} {'CPU µs/record':>14} {'peak MiB':>9}")
        for label, _, seconds, rate, cpu, peak in rows:
            print(f"{label:28} {seconds:8.1f} {rate:10,.0f} {cpu:14.1f} {peak:9.1f}")
        worst = max(row[5] for row in rows)
        verdict = "met" if worst < MEMORY_TARGET_MIB else "MISSED"
        print(f"peak memory target < {MEMORY_TARGET_MIB} MiB: {verdict} (highest {worst:.1f} MiB)")
        if not identical:
            sys.exit(1)
    finally:
        secantus.terminate()
        secantus.wait()
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
