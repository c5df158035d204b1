# Everything is installed from nothing: only python3 and make are assumed.
# (Debian's Chromium for the browser tests is installed with apt-get when missing.)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# This machine kind runs PostgreSQL with trust auth; the store tests run against it.
export HALLBAR_TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: install demo test lint typecheck archcheck deadcode unit browser-deps bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/hallbar demo

browser-deps:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || \
	  { echo "Installing Debian's Chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	    || echo "WARNING: could not install chromium"; }

lint: install
	$(BIN)/ruff check hallbar tests benchmarks
	$(BIN)/ruff format --check hallbar tests benchmarks

typecheck: install
	$(BIN)/mypy

archcheck: install
	$(BIN)/lint-imports

# Dead code: every function, method and class must be called somewhere (tests count).
# Fields and attributes are left out: templates and the ORM read them, vulture cannot see that.
DEAD_DECORATORS := @pages.*,@api.*,@app.*,@*.exception_handler,@*.command,@register,@pytest.fixture
deadcode: install
	@! $(BIN)/vulture hallbar tests benchmarks vulture_whitelist.py --min-confidence 60 \
	  --exclude hallbar/store/migrations --ignore-decorators "$(DEAD_DECORATORS)" \
	  | grep -v -e "unused variable" -e "unused attribute" -e "unused property" | grep .

unit: install browser-deps
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

test: lint typecheck archcheck deadcode unit

bench: install
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
