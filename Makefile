# gardefou: two commands. `make demo` runs the example integration, `make test` every test.
# Both install the missing Debian packages first (needs root or sudo) and build.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
# CORPUS=DIR: a labelled corpus (tests/data/pii/README.md) for pii-report, bench and the
# recall tests, beside the project's own tests/data/pii.
CORPUS ?=
CORPUS_ABS := $(if $(CORPUS),$(abspath $(CORPUS)))

.PHONY: all deps configure build demo test bench pii-report install clean

all: build

deps:
	@bash scripts/install_deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	@PROVIDER_URL="$(PROVIDER_URL)" PROVIDER_MODEL="$(PROVIDER_MODEL)" bash examples/demo/run_demo.sh

test: build
	@cd $(BUILD_DIR) && GARDEFOU_CORPUS="$(CORPUS_ABS)" ctest --output-on-failure -j 2 --timeout 300

bench: build
	@CORPUS="$(CORPUS_ABS)" bash bench/run_bench.sh

pii-report: build
	@GARDEFOU_CORPUS="$(CORPUS_ABS)" $(BUILD_DIR)/tests/pii_report $(if $(MISSES),--misses)

# PREFIX=/usr/local by default; DESTDIR is honoured as usual.
PREFIX ?= /usr/local
install: build
	@cmake --install $(BUILD_DIR) --prefix $(PREFIX)

clean:
	@rm -rf $(BUILD_DIR)
