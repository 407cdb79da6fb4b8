# Two entry points for a fresh machine: `make run` (local stack) and `make test` (lint, template, tests).
# Python 3.12 = the Lambda runtime (tools/find-python says where it found it).
PYTHON ?= $(shell tools/find-python)
VENV := .venv
BIN := $(VENV)/bin
# Named after the interpreter: a venv of another Python (an older checkout's 3.11) is rebuilt.
STAMP := $(VENV)/.installed-$(notdir $(PYTHON))

.PHONY: run test lint package infra bench clean system-deps

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	@if [ -x $(BIN)/python ] && [ "$$($(BIN)/python -c 'import sys; print(sys.version_info[:2])')" != "$$($(PYTHON) -c 'import sys; print(sys.version_info[:2])')" ]; then rm -rf $(VENV); fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# Node.js runs the CloudFront function's tests; install Debian's when it is missing.
system-deps:
	@command -v node >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nodejs; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq nodejs; fi; }

run: $(STAMP)
	$(BIN)/python -m devstack

lint: $(STAMP)
	$(BIN)/ruff check .

# `make package STAGE=prod`: the deployable build of one stage (refused while its public URL or mail
# sender are placeholders). Without STAGE: both stages, checked only (what `make test` runs).
STAGE ?=
package: $(STAMP)
ifeq ($(STAGE),)
	$(BIN)/python -m infrastructure.build --stage dev --out build/ --allow-placeholders
	$(BIN)/python -m infrastructure.build --stage prod --out build/ --allow-placeholders
else
	$(BIN)/python -m infrastructure.build --stage $(STAGE) --out build/
endif

# `make infra STAGE=prod`: the stack of what `chalice deploy` does not create (see README "Deploying").
infra: $(STAMP)
	$(BIN)/python -m infrastructure.infra --stage $(or $(STAGE),dev) --out build/ --deploy $(INFRA_ARGS)

# Tests run in parallel (pytest-xdist): TEST_WORKERS processes, tests sharing a module-scoped fixture kept
# on one worker (tests/README.md says what keeps a test parallel-safe). `make test TEST_WORKERS=0`: serial.
TEST_WORKERS ?= 3
test: $(STAMP) system-deps lint package
	CSMS_SKIP_PACKAGE=1 CSMS_BUILT_TEMPLATES=build $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

bench: $(STAMP)
	$(BIN)/python -m bench.handler_cpu
	$(BIN)/python -m bench.dynamodb_requests
	$(BIN)/python -m bench.cold_import
	$(BIN)/python -m bench.local_stack --ramp 90 --heartbeats 3 --interval 5
	$(BIN)/python -m bench.api_dashboard
	$(BIN)/python -m bench.frame_fuzz
	$(BIN)/python -m bench.cost_model

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
