# Shpalta: `make run` serves the demo site, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

export DJANGO_SETTINGS_MODULE ?= shpalta.settings

.PHONY: run test lint format bench clean demo install

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Links name the port served unless SHPALTA_SITE_URL is set (a proxy's public address, say).
run: $(STAMP)
	$(BIN)/shpalta migrate --noinput
	$(BIN)/shpalta load_demo
	$(BIN)/shpalta demo_people
	SHPALTA_SITE_URL="$${SHPALTA_SITE_URL:-http://127.0.0.1:$(PORT)}" \
	  $(BIN)/shpalta runserver 127.0.0.1:$(PORT)

demo: $(STAMP)
	$(BIN)/shpalta migrate --noinput
	$(BIN)/shpalta load_demo
	$(BIN)/shpalta demo_people

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

# The suite runs on SQLite, then again on PostgreSQL + Redis when they answer (CI requires them:
# SHPALTA_REQUIRE_SERVICES=1). pytest-django creates and drops the database test_<name>.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1
PYTEST := DJANGO_SETTINGS_MODULE=shpalta.settings.test $(BIN)/pytest

test: lint
	SHPALTA_DATA_DIR=$$(mktemp -d) $(BIN)/shpalta makemigrations --check --dry-run
	$(PYTEST)
	$(BIN)/python tests/services.py $(TEST_DATABASE_URL) $(TEST_REDIS_URL); case $$? in \
	  0) echo "== the suite again on PostgreSQL + Redis =="; \
	     SHPALTA_DATABASE_URL=$(TEST_DATABASE_URL) SHPALTA_REDIS_URL=$(TEST_REDIS_URL) $(PYTEST);; \
	  1) ;; \
	  *) exit 1;; \
	esac

bench: $(STAMP)
	mkdir -p bench/results
	for script in bench/[!_]*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache .ruff_cache
