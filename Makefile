# The two commands: `make demo` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ADS ?= 3000
# Optional extras to install; CI adds `faces` so the face-comparison tests run too.
EXTRAS ?= dev

.PHONY: demo test check bench clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 2; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[$(EXTRAS)]'
	touch $(STAMP)

demo: $(STAMP)
	rm -rf out/demo-data out/safelight.duckdb out/safelight.rejects.jsonl
	$(BIN)/safelight synth --ads $(DEMO_ADS) --seed 7 --days 21 --bad-records 8 --posters 12 --out out/demo-data
	$(BIN)/safelight analyze out/demo-data --db out/safelight.duckdb --out out --missing out/demo-data/posters.csv
	@echo
	@echo "Open out/report.html in a browser. Try: .venv/bin/safelight search --db out/safelight.duckdb --minor"

test: $(STAMP)
	$(BIN)/python -m pytest -q

check: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: $(STAMP)
	$(BIN)/python bench/run_all.py --sizes 10000

clean:
	rm -rf out .pytest_cache
