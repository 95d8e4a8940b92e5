# Two commands a new user needs: `make run` and `make test`. Both set up a virtual environment
# first, from the lock files in requirements/ (exact versions, sha256 hashes): a release made
# upstream after the lock can never change what a fresh machine installs.
#   make test PY=python3.13      the same on another Python (its own .venv-python3.13)
#   make lock                    refresh the locks on purpose (then run make test, commit)
#   make test-latest             the suite against the newest releases (not in CI)
PY ?= python3
VENV ?= $(if $(filter python3,$(PY)),.venv,.venv-$(notdir $(PY)))
BIN := $(VENV)/bin
# The venv's own pip, with the machine's pip settings left as they are; hashes make any
# mirror or cache safe. --no-deps on veil itself: every dependency comes from the lock.
PIP := $(BIN)/python -m pip --disable-pip-version-check
LOCKS := requirements/app.lock requirements/test.lock requirements/train.lock

.PHONY: run test test-latest lint bench lock train train-marks clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

# One stamp per lock: installing is skipped until the lock or pyproject.toml changes.
$(VENV)/.%-installed: requirements/%.lock pyproject.toml | $(BIN)/python
	$(PIP) install --quiet --require-hashes --no-deps -r $<
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	$(PIP) check
	# Bytecode as a normal install leaves it (an editable install compiles nothing, and with
	# PYTHONDONTWRITEBYTECODE set every start would recompile ~0.5 MB of source, ~120 ms).
	# Python checks each .pyc against its source, so an edited module is still read afresh.
	$(BIN)/python -m compileall -q app/veil
	touch $@

# Each of these first compiles what changed since the install (~40 ms when nothing did): with
# PYTHONDONTWRITEBYTECODE set, an edited module would otherwise be recompiled in every process.
run: $(VENV)/.app-installed
	$(BIN)/python -m compileall -q app/veil
	$(BIN)/veil

test: $(VENV)/.test-installed
	$(BIN)/python -m compileall -q app/veil
	$(BIN)/ruff check app tests tools
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# Newest releases allowed by pyproject.toml's ranges, in a throwaway venv.
test-latest:
	rm -rf .venv-latest
	$(PY) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --upgrade -e ".[test]"
	.venv-latest/bin/ruff check app tests tools
	.venv-latest/bin/mypy
	QT_QPA_PLATFORM=offscreen .venv-latest/bin/python -m pytest -q

# Training the mark models needs torch and scikit-learn (the train lock); never part of the app.
train: $(VENV)/.train-installed

# Rebuild the mark CNN and tree scorer from ../shared/marks-train (tools/train_marks_all.sh).
train-marks: $(VENV)/.train-installed
	PYTHON=$(BIN)/python tools/train_marks_all.sh

lint: $(VENV)/.test-installed
	$(BIN)/ruff check app tests tools
	$(BIN)/mypy

bench: $(VENV)/.app-installed
	$(BIN)/python -m compileall -q app/veil
	$(BIN)/veil bench all

lock:
	tools/lock.sh

clean:
	rm -rf .venv .venv-* build dist .pytest_cache
