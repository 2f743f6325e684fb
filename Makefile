# gardefou: two commands. `make demo` runs the example integration, `make test` every test.
# Both install the missing Debian packages first (needs root or sudo) and build.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
# CORPUS=DIR: a labelled corpus (tests/data/pii/README.md) for pii-report, bench and the
# recall tests, beside the project's own tests/data/pii.
CORPUS ?=
CORPUS_ABS := $(if $(CORPUS),$(abspath $(CORPUS)))

.PHONY: all deps configure build demo test bench pii-report install clean fuzz test-asan

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

# Each fuzz target (fuzz/) for FUZZ_SECONDS (60) with libFuzzer, in build-fuzz/ (clang-14).
fuzz:
	@bash scripts/install_deps.sh clang-14 libclang-rt-14-dev
	@JOBS=$(JOBS) bash scripts/fuzz.sh

# Every test with ASan and UBSan (GCC), in build-asan/.
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
test-asan: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=g++ \
	  -DCMAKE_CXX_FLAGS="$(SANITIZE)" -DCMAKE_EXE_LINKER_FLAGS="$(SANITIZE)" >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp GARDEFOU_CORPUS="$(CORPUS_ABS)" \
	  ctest --output-on-failure -j $(JOBS) --timeout 900

# PREFIX=/usr/local by default; DESTDIR is honoured as usual.
PREFIX ?= /usr/local
install: build
	@cmake --install $(BUILD_DIR) --prefix $(PREFIX)

clean:
	@rm -rf $(BUILD_DIR)
