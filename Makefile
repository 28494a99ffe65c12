SWIFT ?= swift

.PHONY: run test bench bench-archive deps

## Builds in release mode and serves on sqlite:trips.sqlite (override with DATABASE_URL or ARGS=...).
run: deps
	$(SWIFT) build -c release --product trip-planner
	.build/release/trip-planner $(ARGS)

## The whole suite: store contract and HTTP tests on SQLite and on MongoDB (a SecantusDB it starts and
## stops), real processes behind a real nginx and the shared page in headless Chromium (both installed when
## missing; the page's screenshot lands in .build/test-artifacts); the client that
## swift-openapi-generator makes from the served document, run against live servers on both; then a
## bounded schemathesis run. A suite that hangs is killed after 30 minutes.
test: deps
	@scripts/install-deps.sh nginx chromium openssl curl systemd
	scripts/bounded.sh 30m scripts/with-secantus.sh $(SWIFT) test
	scripts/bounded.sh 15m scripts/with-secantus.sh scripts/generated-client.sh
	scripts/fuzz.sh

deps:
	@scripts/install-deps.sh

## Release build under wrk on SQLite (BENCH_STORE=mongo for SecantusDB); prints one table of ratios to /health,
## then the peak memory of 20 slow readers of the largest pages (scripts/slow-readers.py).
bench:
	@scripts/install-deps.sh wrk
	scripts/venv.sh
	$(SWIFT) build -c release --product trip-planner
	.venv/bin/python scripts/bench.py
	.venv/bin/python scripts/slow-readers.py

## Export, import and migrate of 1,000,000 trips (ARCHIVE_TRIPS) between SQLite and SecantusDB: records per second,
## CPU per record and peak memory of each run, against a target of 150 MiB.
bench-archive:
	scripts/venv.sh
	$(SWIFT) build -c release --product trip-planner
	.venv/bin/python scripts/archive-bench.py
