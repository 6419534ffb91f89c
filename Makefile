# The two commands of the README, and the rest of the project's jobs.
#   make demo            the documented mutually authenticated handshake, step by step
#   make test            install missing packages, build, run every test
#   make test-sanitize   the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer
#                        (clang: it compiles an unoptimised, instrumented tree in about
#                        half the time GCC takes)
#   make fuzz            build the libFuzzer targets (clang) and run each for FUZZ_SECONDS,
#                        JOBS of them at a time
#   make bench           the side-by-side benchmarks (ours, OpenSSL, libsodium); the
#                        outputs and a chart of the ratios in build/bench-results/
#   make test-timing     dudect-style Welch's t of the CBC record check (outside CI: noisy)
#   make conformance     every tlsfuzzer line of tests/conformance/tlsfuzzer.txt against tls12 server
JOBS         ?= $(shell nproc)
BUILD        ?= build
BUILD_ASAN   ?= build-asan
BUILD_FUZZ   ?= build-fuzz
FUZZ_SECONDS ?= 20
CTEST_ARGS   ?=
DEMO_ARGS    ?=
CONFORMANCE_ARGS ?=

.PHONY: all deps build test test-sanitize test-timing fuzz bench demo conformance clean

all: build

deps:
	@scripts/deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)
	@scripts/interop-summary.sh $(BUILD)

test-sanitize: deps
	CC=clang CXX=clang++ cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1" \
	  -DTLS12_SANITIZE=ON -DTLS12_BENCH=OFF
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(BUILD_FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
	  -DTLS12_FUZZ=ON -DTLS12_TESTS=OFF -DTLS12_BENCH=OFF \
	  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined" \
	  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined"
	cmake --build $(BUILD_FUZZ) -j $(JOBS) --target fuzzers
	scripts/run-fuzzers.sh $(BUILD_FUZZ)/fuzz $(FUZZ_SECONDS) $(JOBS)

test-timing: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS) --target timing_cbc
	$(BUILD)/tests/timing_cbc

bench: build
	@mkdir -p $(BUILD)/bench-results
	@for b in $(BUILD)/bench/bench_*; do \
	  [ -x "$$b" ] || continue; \
	  "$$b" > $(BUILD)/bench-results/$$(basename $$b).txt || exit 1; \
	  cat $(BUILD)/bench-results/$$(basename $$b).txt; \
	done
	@python3 scripts/bench_chart.py $(BUILD)/bench-results/ratios.svg \
	  $(BUILD)/bench-results/bench_aead.txt $(BUILD)/bench-results/bench_hash.txt

demo: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS) --target tls12
	$(BUILD)/tls12 demo $(DEMO_ARGS)

conformance: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS) --target tls12
	python3 tests/conformance/run_tlsfuzzer.py --tls12 $(BUILD)/tls12 --jobs 2 $(CONFORMANCE_ARGS)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
