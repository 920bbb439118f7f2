# The two commands README gives:
#   make serve   set up (first time) and run the service on the seeds (builds the index on first run)
#   make test    set up (first time) and run the tests (installs Chromium for the browser tests)
VENV   ?= .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
export HF_HUB_OFFLINE := 1

.PHONY: setup serve test browser bench eval eval-vnews train-reader replays

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

# the frozen VietNews test half: articles nobody here had read (the corpus is written from ../shared)
eval-vnews: setup
	$(PY) -m eval.vnews_corpus
	$(VENV)/bin/vnqa eval --gold eval/vnews_dev/test.jsonl --corpus .cache/vnews_dev/corpus --index .cache/vnews_dev/index --rows hybrid,hybrid-rules --summary-only

# retrain qa/read/models/ (silver questions + the hand-written training questions), then re-record the floors
train-reader: setup
	OMP_NUM_THREADS=1 $(VENV)/bin/vnqa train-reader
	$(MAKE) replays

# the quality floors tests/test_quality_floor.py replays: the dev half, and eval/vnews_multi's three sets
replays: setup
	$(PY) -m eval.replay record
	for s in MA MB MC; do \
	  $(PY) -m eval.replay record --gold eval/vnews_multi/$$s.jsonl --articles eval/vnews_multi/$${s}_articles.json \
	    --out eval/vnews_multi/replay-$$s.json.gz || exit 1; \
	done
