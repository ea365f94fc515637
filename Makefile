# The two commands from the README: `make demo` and `make test`.
# Each creates .venv on first use and installs what it needs into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint-rules-docs rules-docs english-data clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# The example blog has deliberate problems: exit status 1 (violations found)
# is the expected outcome here; 2 would be a real failure.
demo: $(VENV)/.installed
	cd examples && ../$(BIN)/linklint check; status=$$?; test $$status -le 1

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

# Regenerate rules/*.md from the rule modules' docstrings.
rules-docs: $(VENV)/.installed
	$(BIN)/python -m linklint.ruledocs rules
	$(BIN)/python -m linklint.sitedocs docs/generators.md

# Write linklint/english_data.py again from the installed spaCy (after upgrading it).
english-data: $(VENV)/.installed
	$(BIN)/python -m linklint.english

clean:
	rm -rf $(VENV) .pytest_cache .linklint_cache
