# Two commands for a fresh machine (Python 3.11+, git, make):  make serve  |  make test
# Each creates .venv and installs the pinned dependencies (requirements.txt) on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.txt | cut -c1-12)

.PHONY: build serve test check lint clean bench publish preview

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Cần Python 3.11 trở lên (PYTHON=$(PYTHON))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $@

build: $(STAMP)
	$(BIN)/invoke build

serve: $(STAMP)
	$(BIN)/invoke serve

test: $(STAMP)
	$(BIN)/invoke test

check: $(STAMP)
	$(BIN)/invoke check

lint: $(STAMP)
	$(BIN)/invoke lint

preview: $(STAMP)
	$(BIN)/invoke preview

publish: $(STAMP)
	$(BIN)/invoke publish

bench: $(STAMP)
	$(BIN)/invoke bench

clean:
	rm -rf output .cache
