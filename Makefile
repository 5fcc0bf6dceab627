# Thin wrapper over CMake. `make demo` and `make test` are the two commands.
BUILD  ?= build
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all setup configure demo test bench clean asan

all: configure
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

setup:
	@sh scripts/setup.sh

configure: setup
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null

demo: all
	@sh scripts/demo.sh $(BUILD)

test: all
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: all
	@sh scripts/bench.sh $(BUILD)

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan \
		CMAKE_FLAGS="-DTUXMM_SANITIZE=ON -DTUXMM_WERROR=ON $(CMAKE_FLAGS)" test

clean:
	rm -rf build build-asan build-werror
