SWIFT ?= swift

.PHONY: run test fuzz sanitize bench bench-streams bench-archive deps

FUZZ_SECONDS ?= 300

## Builds in release mode and serves on sqlite:trips.sqlite (override with DATABASE_URL or ARGS=...).
run: deps
	$(SWIFT) build -c release --product trip-planner
	.build/release/trip-planner $(ARGS)

## The whole suite: store contract and HTTP tests on SQLite and on MongoDB (a SecantusDB it starts and
## stops), real processes behind a real nginx and the shared page in headless Chromium (both installed when
## missing; the page's screenshot lands in .build/test-artifacts); the client that
## swift-openapi-generator makes from the served document, run against live servers on both; then a
## bounded schemathesis run, and every libFuzzer target of FuzzTesting/ for 15 s. A suite that hangs is killed
## after 30 minutes; one that dies of Foundation's Process.run() crash on Linux (swift-corelibs-foundation#5472,
## not fixed in Swift 6.3.1) is run once more (scripts/swift-test.sh). Each stage prints its time, and the run
## ends with all of them.
test: deps
	@scripts/install-deps.sh nginx chromium openssl curl systemd
	@rm -f .build/stage-times
	scripts/stage.sh build $(SWIFT) build --build-tests
	scripts/stage.sh swift-tests scripts/bounded.sh 30m scripts/with-secantus.sh scripts/swift-test.sh $(SWIFT)
	scripts/stage.sh generated-client scripts/bounded.sh 15m scripts/with-secantus.sh scripts/generated-client.sh
	scripts/stage.sh schemathesis scripts/schemathesis.sh
	FUZZ_SECONDS=15 scripts/stage.sh fuzz scripts/bounded.sh 45m scripts/fuzz-parsers.sh
	@echo "make test: time per stage"; cat .build/stage-times

## Every libFuzzer target of FuzzTesting/ (one per parser of untrusted bytes, AddressSanitizer, -timeout=1) for
## FUZZ_SECONDS each, from the checked-in corpora; prints each target's executions per second, or the reproducer.
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz-parsers.sh

## The Swift suite built with AddressSanitizer, real processes included (the server they start is built with it
## too), and LeakSanitizer at every exit: any memory error or leak fails it, except the third-party ones that
## sanitizers/*.supp name, each with its reason. Builds into .build/asan.
sanitize: deps
	@scripts/install-deps.sh nginx chromium openssl curl systemd
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build/asan
	ASAN_OPTIONS=suppressions=$(CURDIR)/sanitizers/address.supp:detect_leaks=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/sanitizers/leaks.supp:print_suppressions=0 \
	scripts/bounded.sh 45m scripts/with-secantus.sh $(SWIFT) test --skip-build --sanitize=address --scratch-path .build/asan

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

## The live change stream rows of make bench alone (scripts/stream_bench.py): 1,000 streams over 100 accounts on one
## of two processes sharing the store; write-to-event latency, idle CPU and memory, and the bearer read beside them.
bench-streams:
	@scripts/install-deps.sh wrk
	scripts/venv.sh
	$(SWIFT) build -c release --product trip-planner
	.venv/bin/python scripts/bench.py streams

## Export, import and migrate of 1,000,000 trips (ARCHIVE_TRIPS) between SQLite and SecantusDB: records per second,
## CPU per record and peak memory of each run, against a target of 150 MiB.
bench-archive:
	scripts/venv.sh
	$(SWIFT) build -c release --product trip-planner
	.venv/bin/python scripts/archive-bench.py
