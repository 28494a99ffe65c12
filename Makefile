SWIFT ?= swift

.PHONY: run test deps build

## Builds in release mode and serves on sqlite:trips.sqlite (override with DATABASE_URL or ARGS=...).
run: deps
	$(SWIFT) build -c release --product trip-planner
	.build/release/trip-planner $(ARGS)

## The whole suite: store contract and HTTP tests on every backend.
test: deps
	$(SWIFT) test

deps:
	@scripts/install-deps.sh
