# Puntos — see README.md. `make run` and `make test` set up what they need.
export PATH := /usr/local/go/bin:$(PATH)

DEMO_DIR ?= $(CURDIR)/.demo
BIN      := $(CURDIR)/bin

.PHONY: run test bench setup build vet fuzz clean

setup:
	@.ci/setup

build: setup
	go build -o $(BIN)/puntos ./cmd/puntos
	go build -o $(BIN)/puntos-registry ./cmd/puntos-registry

# The demo: a local registry with the demo catalog, roster and staff
# account, and the app on a demo device enrolled with it (see .ci/demo).
run: build
	@.ci/demo $(BIN) $(DEMO_DIR)

vet:
	gofmt -l . | (! grep .) || (echo "gofmt needed on the files above" && false)
	go vet ./...

test: setup vet
	go test -count=1 ./...

# Speed targets: figures go to docs/BENCHMARKS.md.
bench: setup
	go test -run XXX -bench . ./storage/... ./reports/... ./sync/... ./ui/... 2>&1 | tee bench.out

fuzz:
	go test -run XXX -fuzz FuzzParseScan -fuzztime 30s ./storage/domain/
	go test -run XXX -fuzz FuzzRosterReader -fuzztime 30s ./storage/csvin/

clean:
	rm -rf $(BIN) $(DEMO_DIR) bench.out
