# gardefou: two commands. `make demo` runs the example integration, `make test` every test.
# Both install the missing Debian packages first (needs root or sudo) and build.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: all deps configure build demo test bench pii-report clean

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
	@cd $(BUILD_DIR) && ctest --output-on-failure -j 2 --timeout 300

bench: build
	@bash bench/run_bench.sh

pii-report: build
	@$(BUILD_DIR)/tests/pii_report

clean:
	@rm -rf $(BUILD_DIR)
