# Set-up and the two README commands. Every target installs what it needs
# first and skips what is already there, so a second run installs nothing.
SHELL   := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
QUALITY ?= l
OUT     ?= out
SCENES  ?=
# Root needs no sudo (CI and these machines run as root).
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# cairo/pango headers: pycairo and manimpango build from source.
# A minimal TeX Live with dvisvgm for MathTex; graphviz for compute-tree layouts.
APT_PACKAGES := build-essential pkg-config libcairo2-dev libpango1.0-dev \
	texlive-latex-base texlive-latex-recommended texlive-latex-extra \
	texlive-fonts-recommended dvisvgm graphviz fonts-dejavu-core \
	chromium
# chromium (headless) opens the built index page and deck in the tests.

# Python may write its bytecode caches (__pycache__, ignored by git) even where the environment says not to: every
# render worker and CLI the tests start would compile the project again, and pytest would rewrite every test
# module's asserts again in each worker.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup system-deps reveal lecture test test-fast test-other-cpu bench doctor clean

setup: $(VENV)/.installed reveal

system-deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	$(PYTHON) -c 'import ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	$(PYTHON) -c 'import os, sysconfig; assert os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h"))' 2>/dev/null \
	  || missing="$$missing python3-dev"; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "setup: Debian packages present"; \
	fi

# uv installs the project in about 30 s where pip took 110 s (it links packages from its cache), bytecode compiled
# on both cores: left to the first imports, the suite's many processes compiled it again and again (200 CPU s more
# in a first run). pip if uv cannot be had. uv does not read pip's config: the folders pip finds wheels in
# (this machine's CPU build of torch) are passed on, or torch==2.13.0 would come from PyPI as a CUDA build.
FIND_LINKS = $(foreach f,$(sort $(PIP_FIND_LINKS) $(shell $(PYTHON) -m pip config get global.find-links 2>/dev/null)),--find-links $(f))

$(VENV)/.installed: pyproject.toml | system-deps
	@echo "setup: creating $(VENV) and installing the project (torch, manim, manim-slides, pytest)"
	$(PYTHON) -m venv $(VENV)
	@if $(BIN)/pip install -q uv 2>/dev/null; then \
	  $(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python $(FIND_LINKS) -e '.[dev]'; \
	else \
	  echo "setup: uv not available, installing with pip"; \
	  $(BIN)/pip install -q -e '.[dev]' 2>&1 | { grep -v "is ignored: it is neither" || true; }; \
	fi
	@touch $@

# reveal.js for the offline slide deck, from the npm registry (once; no npm needed).
reveal: $(VENV)/.installed
	@$(BIN)/python -m scenes.pipeline.deck fetch >/dev/null

lecture: setup
	$(BIN)/lecture build -q $(QUALITY) $(if $(SCENES),--scenes $(SCENES)) --out $(OUT)

# The key frames again under another of torch's CPU codes (ATEN_CPU_CAPABILITY): its scalar code, or the CPU's
# own (AVX2, AVX-512) if the first run had the scalar one; and under MKL's CPU-independent matrix products
# (MKL_CBWR), as on a CPU whose MKL takes another path. The scenes' training runs under them too: mathcore's
# cache keys its results by both settings when set (mathcore/cache.py: NUMERICS), so a result made on the usual
# path is not reused.
OTHER_CPU := $(if $(filter default,$(ATEN_CPU_CAPABILITY)),env -u ATEN_CPU_CAPABILITY,env ATEN_CPU_CAPABILITY=default)

# The suite hands whole files to one worker per core, longest first (tests/conftest.py: HEAVY_FIRST), not
# by their number of tests (xdist's default).
XDIST := -n auto --dist loadfile --no-loadscope-reorder

# The key frames drawn from numbers MKL's compatible path moves (the autoencoder's latent coordinates by up to 8.8e-5,
# the approximation's by 2.4e-7; torch's scalar code alone moves no trained number: tests/mathcore/test_reproducible.py).
MKL_FRAMES := tests/graphical/test_key_frames_manifolds.py tests/graphical/test_key_frames_networks.py
FRAMES_ON_OTHER_CPU := $(OTHER_CPU) MKL_CBWR=COMPATIBLE $(BIN)/python -m pytest $(XDIST) -m graphical

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(XDIST) --durations=15
	$(FRAMES_ON_OTHER_CPU) $(MKL_FRAMES)

# Every key frame under the other CPU code (about a minute): `make test` draws only MKL_FRAMES again, since
# tests/mathcore/test_reproducible.py compares under both codes the numbers every other frame is drawn from.
test-other-cpu: setup
	$(FRAMES_ON_OTHER_CPU) tests/graphical

test-fast: setup
	$(BIN)/python -m pytest $(XDIST) -m "not slow and not graphical"

bench: setup
	$(BIN)/lecture bench

doctor: setup
	$(BIN)/lecture doctor

clean:
	rm -rf media out .pytest_cache .hypothesis
