# Puntos — see README.md. `make run` and `make test` set up what they need.
export PATH := /usr/local/go/bin:$(PATH)

DEMO_DIR ?= $(CURDIR)/.demo
BIN      := $(CURDIR)/bin

.PHONY: run test smoke bench bench-national setup build vet fuzz clean dist

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

# The packages whose tests hold a registry run a second time on a
# throwaway PostgreSQL (see storage/registry/pgtest); they fail, never
# skip, when it cannot start.
PG_TEST_PKGS = $(shell go list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... | grep ' .*storage/registry/pgtest' | cut -d' ' -f1)

test: setup vet
	go test -count=1 ./...
	PUNTOS_TEST_DB=postgres go test -count=1 $(PG_TEST_PKGS)
	@$(MAKE) --no-print-directory smoke

# The real window under Xvfb: opens on a demo data dir, saves a
# screenshot after the first frame and quits (see .ci/smoke).
smoke: setup
	@.ci/smoke

# Speed targets: figures go to docs/BENCHMARKS.md.
bench: setup
	go test -p 1 -run XXX -bench . -timeout 40m ./storage/... ./reports/... ./sync/... ./ui/... 2>&1 | tee bench.out

# National scale (3.3 M people, 20 M ledger entries) on PostgreSQL and
# SQLite: the data are made once (the first run takes a while) and kept in
# $$PUNTOS_BENCH_DIR; see storage/registry/national_bench_test.go.
NATIONAL := go test -tags national -run XXX -timeout 3h ./storage/registry/ -bench
bench-national: setup
	{ $(NATIONAL) NationalPersonLedger -benchtime 2000x && \
	  $(NATIONAL) 'NationalCompliance|NationalImpact' -benchtime 3x && \
	  $(NATIONAL) 'NationalIngest|NationalRosterImport' -benchtime 2x; } 2>&1 | tee bench-national.out

# Installable packages for Windows and Linux, with SHA256SUMS, in dist/
# (Windows zip and installer, Linux tar.xz, registry server): see .ci/dist.
dist:
	@.ci/dist

fuzz:
	go test -run XXX -fuzz FuzzParseScan -fuzztime 30s ./storage/domain/
	go test -run XXX -fuzz FuzzRosterReader -fuzztime 30s ./storage/csvin/
	go test -run XXX -fuzz FuzzDecodeBatch -fuzztime 30s ./sync/wire/
	go test -run XXX -fuzz FuzzStaffJSON -fuzztime 30s ./sync/server/

clean:
	rm -rf $(BIN) $(DEMO_DIR) bench.out dist
