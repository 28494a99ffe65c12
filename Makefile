SWIFT ?= swift

.PHONY: run test deps build

## Builds in release mode and serves on sqlite:trips.sqlite (override with DATABASE_URL or ARGS=...).
run: deps
	$(SWIFT) build -c release --product trip-planner
	.build/release/trip-planner $(ARGS)

## The whole suite: store contract and HTTP tests on SQLite and on MongoDB (a SecantusDB it starts and stops).
test: deps
	scripts/with-secantus.sh $(SWIFT) test

deps:
	@scripts/install-deps.sh
