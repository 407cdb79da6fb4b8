# Two entry points for a fresh machine: `make run` (local stack) and `make test` (lint, template, tests).
# Python 3.12 = the Lambda runtime (tools/find-python says where it found it).
PYTHON ?= $(shell tools/find-python)
VENV := .venv
BIN := $(VENV)/bin
# Named after the interpreter: a venv of another Python (an older checkout's 3.11) is rebuilt.
STAMP := $(VENV)/.installed-$(notdir $(PYTHON))

.PHONY: run test lint package infra bench clean system-deps browser-deps frontend frontend-test

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	@if [ -x $(BIN)/python ] && [ "$$($(BIN)/python -c 'import sys; print(sys.version_info[:2])')" != "$$($(PYTHON) -c 'import sys; print(sys.version_info[:2])')" ]; then rm -rf $(VENV); fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# Node.js runs the CloudFront function's tests and builds the web frontend (Vite needs Node >= 20.19:
# the machine's node; Debian bookworm's own nodejs is 18); chromium runs the browser tests. Installed
# from Debian when missing.
APT_INSTALL = if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $(1); \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq $(1); fi
system-deps:
	@command -v node >/dev/null || { $(call APT_INSTALL,nodejs); }
	@command -v npm >/dev/null || { $(call APT_INSTALL,npm); }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' || \
	  { echo "Node.js >= 20.19 is required to build the frontend (found $$(node --version))"; exit 1; }

browser-deps:
	@command -v chromium >/dev/null || { echo "installing Debian's chromium for the browser tests"; $(call APT_INSTALL,chromium); }

# The web frontend (frontend/): npm ci when the lockfile changed, vite build when a source changed.
FRONTEND_STAMP := frontend/node_modules/.installed
FRONTEND_SOURCES := $(shell find frontend/src -type f 2>/dev/null) frontend/index.html frontend/vite.config.ts frontend/tsconfig.json
$(FRONTEND_STAMP): frontend/package.json frontend/package-lock.json | system-deps
	cd frontend && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend/dist/index.html: $(FRONTEND_STAMP) $(FRONTEND_SOURCES)
	cd frontend && npm run --silent build

frontend: frontend/dist/index.html

# Type check and component tests (Vitest in jsdom); the browser tests run with pytest (tests/frontend).
frontend-test: $(FRONTEND_STAMP)
	cd frontend && npm run --silent typecheck && npm run --silent test

run: $(STAMP) frontend
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
infra: $(STAMP) frontend
	$(BIN)/python -m infrastructure.infra --stage $(or $(STAGE),dev) --out build/ --deploy $(INFRA_ARGS)

# Tests run in parallel (pytest-xdist): TEST_WORKERS processes, tests sharing a module-scoped fixture kept
# on one worker (tests/README.md says what keeps a test parallel-safe). `make test TEST_WORKERS=0`: serial.
TEST_WORKERS ?= 3
test: $(STAMP) system-deps browser-deps lint package frontend frontend-test
	CSMS_SKIP_PACKAGE=1 CSMS_BUILT_TEMPLATES=build $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

bench: $(STAMP) frontend
	$(BIN)/python -m bench.handler_cpu
	$(BIN)/python -m bench.dynamodb_requests
	$(BIN)/python -m bench.cold_import
	$(BIN)/python -m bench.local_stack --ramp 90 --heartbeats 3 --interval 5
	$(BIN)/python -m bench.api_dashboard
	$(BIN)/python -m bench.frame_fuzz
	$(BIN)/python -m bench.cost_model
	$(BIN)/python -m bench.frontend

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache frontend/node_modules frontend/dist
