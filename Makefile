SWIFT ?= swift

.PHONY: run test bench deps

## Builds in release mode and serves on sqlite:trips.sqlite (override with DATABASE_URL or ARGS=...).
run: deps
	$(SWIFT) build -c release --product trip-planner
	.build/release/trip-planner $(ARGS)

## The whole suite: store contract and HTTP tests on SQLite and on MongoDB (a SecantusDB it starts and
## stops), then a bounded schemathesis run against the server from its own OpenAPI document. A suite
## that hangs is killed after 30 minutes instead of stalling CI.
test: deps
	timeout --kill-after=10s 30m scripts/with-secantus.sh $(SWIFT) test
	scripts/fuzz.sh

deps:
	@scripts/install-deps.sh

## Release build under wrk on SQLite (BENCH_STORE=mongo for SecantusDB); prints one table of ratios to /health.
bench:
	@scripts/install-deps.sh wrk
	scripts/venv.sh
	$(SWIFT) build -c release --product trip-planner
	.venv/bin/python scripts/bench.py
