# TechBridge: `make run` serves the demo platform, `make test` runs every test. Both set up what they need.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
TB := $(VENV)/bin/techbridge
HOST ?= 127.0.0.1:8000
DEBIAN_PACKAGES := gettext chromium fonts-noto-core fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0

.PHONY: run test install system-packages messages bench lint clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Debian packages: gettext (compiles the catalogs), Chromium (browser tests), Noto fonts (Chinese and Urdu),
# Pango (WeasyPrint's text shaping for the PDFs).
system-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

messages: install
	cd src/techbridge && ../../$(TB) compilemessages --ignore '.venv' -v 0

run: system-packages install messages
	$(TB) migrate --no-input -v 0
	$(TB) demo
	$(TB) reindex
	DEBUG=1 $(TB) runserver_with_worker $(HOST)

test: system-packages install messages
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install
	$(VENV)/bin/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) var .pytest_cache
