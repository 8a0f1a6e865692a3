# Two commands on a fresh machine (Python >= 3.11):
#   make run    install into .venv, migrate, load catalogue + clause library + demo users, serve on 127.0.0.1:$(PORT)
#   make test   install (with test tools) and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8000
BIN     = $(VENV)/bin
PY      = $(BIN)/python
MANAGE  = $(PY) manage.py

.PHONY: run test install install-dev setup worker lint bench evaluate evaluate-cuad clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required (found %s)" % sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

setup: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_catalogue
	$(MANAGE) seed_demo

run: setup
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# A separate Celery worker (only when CELERY_BROKER_URL points at Redis).
worker: install
	$(BIN)/celery -A config worker --loglevel=INFO --concurrency=$${WORKERS:-2}

# pytest exits 5 when it collected no test: that is a failure here, never a pass.
test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; exit $$rc

lint: install-dev
	$(BIN)/ruff check .

bench: install-dev
	$(PY) bench/generate_bench.py
	$(PY) bench/scan_bench.py

evaluate: install
	$(MANAGE) evaluate_checker

# Held-out detection figures on the CUAD contracts (../shared/corpus/cuad), about 30 s on 2 cores.
evaluate-cuad: install
	$(MANAGE) evaluate_checker --cuad --jobs 2

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
