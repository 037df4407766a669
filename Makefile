# cdstack — the README's two commands are `make demo` and `make test`.
GO      ?= go
BIN     ?= bin/cdstack
PKGS    := ./...
FUZZTIME ?= 20s

.PHONY: build test demo bench fuzz stress lint clean

build:
	$(GO) build -o $(BIN) .

# What CI runs (.ci/run): vet, then every test with the race detector.
# The slow CLI tests mostly wait (for tasks, outages, a throttled API), so
# four run at once even on two cores. A busy machine can take the cli
# package past go test's default 10 minutes, hence -timeout.
test:
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 -parallel 4 -timeout 30m $(PKGS)

# The main job against the built-in local cloud.
demo: build
	./scripts/demo.sh $(BIN)

# Benchmarks print their figures; nothing is asserted on time.
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

# Every test STRESS_COUNT times (default 20), with the race detector, in a
# shuffled order: a failing package prints "-test.shuffle SEED" first, and
# `go test -race -shuffle=SEED -run TestName ./pkg` replays that order. Run
# it before resolving an issue that touches waits, the executor or the
# emulator's tasks. PKGS narrows it: make stress PKGS=./cloud/...
STRESS_COUNT ?= 20
stress:
	$(GO) test -race -count=$(STRESS_COUNT) -shuffle=on -parallel 4 -timeout 3h $(PKGS)

fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzPercentEncode$$' -fuzztime $(FUZZTIME) ./cloud
	$(GO) test -run '^$$' -fuzz '^FuzzServeHTTP$$' -fuzztime $(FUZZTIME) ./cloud/emulator
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./spec

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

clean:
	rm -rf bin
