# Puntos — see README.md. `make run` and `make test` set up what they need.
export PATH := /usr/local/go/bin:$(PATH)

DEMO_DIR ?= $(CURDIR)/.demo
BIN      := $(CURDIR)/bin

.PHONY: run test bench setup build vet fuzz clean

setup:
	@.ci/setup

build: setup
	go build -o $(BIN)/puntos ./cmd/puntos

# The demo: a data dir with a realistic catalog, roster and sessions.
run: build
	@$(BIN)/puntos --data $(DEMO_DIR) demo
	@.ci/demo-tour $(BIN)/puntos $(DEMO_DIR)

vet:
	gofmt -l . | (! grep .) || (echo "gofmt needed on the files above" && false)
	go vet ./...

test: setup vet
	go test -count=1 ./...

bench: setup
	go test -run XXX -bench . -benchtime 1x ./storage/... ./reports/... 2>&1 | tee bench.out

fuzz:
	go test -run XXX -fuzz FuzzParseScan -fuzztime 30s ./storage/domain/
	go test -run XXX -fuzz FuzzRosterReader -fuzztime 30s ./storage/csvin/

clean:
	rm -rf $(BIN) $(DEMO_DIR) bench.out
