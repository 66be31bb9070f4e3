# mlp-lab: `make serve` serves the demo, `make test` runs every test,
# `make bench` the benchmark. Each installs what is missing (as root, or
# through sudo): emscripten and chromium from Debian, npm packages by npm ci.

SHELL := /bin/bash
EMCC ?= emcc
CC ?= cc
PORT ?= 8080
# Debian's emcc needs Node to find its acorn (see README, "Building").
export NODE_PATH := /usr/share/nodejs

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CSRC := $(wildcard src/*.c)
CHDR := $(wildcard src/*.h)
CFLAGS_COMMON := -std=c11 -Wall -Wextra -Werror -O3
EMFLAGS := $(CFLAGS_COMMON) --no-entry -sSTANDALONE_WASM -sALLOW_MEMORY_GROWTH=1 \
  -sINITIAL_MEMORY=1MB -sTOTAL_STACK=64KB -sEXPORTED_FUNCTIONS=_malloc,_free -sMALLOC=emmalloc
WASM := build/mlp-lab.wasm build/mlp-lab-simd.wasm
# ES modules the widgets import: their stylesheet, and each wasm build inlined
# (a fallback for bundlers that move the package's files; see web/lab.js).
WEBGEN := build/widgets-css.js build/mlp-lab.wasm.js build/mlp-lab-simd.wasm.js
# The teaching page's script, its modules bundled into one file (see tools/bundle-page.mjs).
PAGEJS := build/page.js
PAGESRC := $(wildcard web/*.js web/strings/*.js src/*.js)
CTESTS := $(patsubst tests/c/%.c,build/ctest/%,$(wildcard tests/c/test_*.c))

.PHONY: all wasm test soak test-c test-fuzz test-node test-e2e serve bench deps deps-emcc deps-node deps-frameworks deps-chromium deps-clang clean

all: wasm

# ---- dependencies ----------------------------------------------------------
deps: deps-emcc deps-node deps-frameworks deps-chromium deps-clang

deps-emcc:
	@command -v $(EMCC) >/dev/null 2>&1 || { $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y emscripten; }

deps-clang:
	@{ command -v clang >/dev/null 2>&1 && ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a \
	  >/dev/null 2>&1; } || { $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y clang libclang-rt-14-dev; }

# Chromium, and a font with Chinese and Korean glyphs for its zh and ko pages
# (without one, the e2e tests see missing-glyph boxes: tests/e2e/cjk.test.js).
deps-chromium:
	@need=; command -v chromium >/dev/null 2>&1 || need="chromium"; \
	  { [ -n "$$(fc-list :lang=zh family 2>/dev/null)" ] && [ -n "$$(fc-list :lang=ko family 2>/dev/null)" ]; } || need="$$need fonts-noto-cjk"; \
	  [ -z "$$need" ] || { $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y $$need; }

deps-node: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# The course sites tests/e2e/frameworks.test.js builds (VitePress, React + Vite),
# each from its committed lockfile; the test installs this package's tarball into them.
FRAMEWORKS := $(patsubst %/package.json,%,$(wildcard tests/frameworks/*/package.json))
deps-frameworks: $(addsuffix /node_modules/.package-lock.json,$(FRAMEWORKS))

tests/frameworks/%/node_modules/.package-lock.json: tests/frameworks/%/package.json tests/frameworks/%/package-lock.json
	cd tests/frameworks/$* && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

# ---- the two WebAssembly modules (and the modules made from them) ---------
wasm: $(WASM) $(WEBGEN) $(PAGEJS)

build/widgets-css.js: web/widgets.css tools/inline-asset.mjs
	node tools/inline-asset.mjs css $< $@

$(PAGEJS): $(PAGESRC) build/widgets-css.js tools/bundle-page.mjs | deps-node
	node tools/bundle-page.mjs

build/%.wasm.js: build/%.wasm tools/inline-asset.mjs
	node tools/inline-asset.mjs wasm $< $@

build/mlp-lab-simd.wasm: $(CSRC) $(CHDR) Makefile | deps-emcc
	@mkdir -p build
	$(EMCC) $(EMFLAGS) -msimd128 -o $@ $(CSRC)

build/mlp-lab.wasm: $(CSRC) $(CHDR) Makefile | deps-emcc
	@mkdir -p build
	$(EMCC) $(EMFLAGS) -o $@ $(CSRC)

# ---- tests -----------------------------------------------------------------
test: test-c test-fuzz test-node

# C unit tests, natively, under AddressSanitizer and UndefinedBehaviorSanitizer.
SANFLAGS := -std=c11 -Wall -Wextra -Werror -O1 -g -fno-omit-frame-pointer \
  -fsanitize=address,undefined -fno-sanitize-recover=all
build/ctest/%: tests/c/%.c $(CSRC) $(CHDR) $(wildcard tests/c/*.h)
	@mkdir -p build/ctest
	$(CC) $(SANFLAGS) -Isrc -o $@ $< $(CSRC) -lm

test-c: $(CTESTS)
	@set -e; for t in $(CTESTS); do echo "== $$t"; ASAN_OPTIONS=detect_leaks=1 $$t; done

# libFuzzer over the C API (tests/fuzz/fuzz_mlp.c), bounded in time, from the committed
# corpus; crashes found earlier stay in tests/fuzz/regressions and are replayed.
FUZZ_SECONDS ?= 60
FUZZ_CORPUS := build/fuzz-corpus
build/fuzz_mlp: tests/fuzz/fuzz_mlp.c $(CSRC) $(CHDR) | deps-clang
	@mkdir -p build
	clang -std=c11 -Wall -Wextra -Werror -O1 -g -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=all -Isrc -o $@ tests/fuzz/fuzz_mlp.c $(CSRC) -lm

test-fuzz: build/fuzz_mlp
	@mkdir -p $(FUZZ_CORPUS)
	@if ls tests/fuzz/regressions/* >/dev/null 2>&1; then build/fuzz_mlp tests/fuzz/regressions/*; fi
	build/fuzz_mlp -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	  -print_final_stats=1 $(FUZZ_CORPUS) tests/fuzz/corpus

test-node: $(WASM) $(WEBGEN) $(PAGEJS) deps-node deps-frameworks deps-chromium
	node --test --test-reporter=spec tests/*.test.js tests/e2e/*.test.js

# The long soak of the teaching page (10 minutes; `make test` runs its short form).
soak: $(WASM) $(WEBGEN) $(PAGEJS) deps-node deps-chromium
	SOAK_SECONDS=600 node --test --test-reporter=spec tests/e2e/soak.test.js

# ---- the demo --------------------------------------------------------------
serve: $(WASM) $(WEBGEN) $(PAGEJS)
	node web/serve.mjs --port $(PORT)

# ---- the benchmark (not part of test) --------------------------------------
bench: $(WASM) $(WEBGEN) $(PAGEJS) deps-node deps-chromium
	node tests/bench/run.mjs

clean:
	rm -rf build/*.wasm build/*.js build/ctest build/bench*
