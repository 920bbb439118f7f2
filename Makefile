# The two commands README gives:
#   make serve   set up (first time) and run the service on the seeds (builds the index on first run)
#   make test    set up (first time) and run the tests (installs Chromium for the browser tests)
VENV   ?= .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
export HF_HUB_OFFLINE := 1

.PHONY: setup serve test browser bench eval

setup: $(VENV)/.installed

# torch first, pinned to the CPU wheel on local disk; otherwise pip pulls a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

serve: setup
	$(VENV)/bin/vnqa serve --host $(HOST) --port $(PORT)

browser:
	bash .ci/install-browser.sh

test: setup browser
	$(PY) -m pytest

bench: setup
	$(PY) -m eval.bench

eval: setup
	$(VENV)/bin/vnqa eval
