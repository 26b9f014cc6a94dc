# lmvw_plugin: every target sets up what it needs (apt packages as root, the .venv) on first use.
SHELL := /bin/bash
.DEFAULT_GOAL := help

APT_PACKAGES := qgis python3-qgis qgis-providers xvfb pyqt5-dev-tools qttools5-dev-tools \
                python3-gdal gdal-bin python3-venv qttranslations5-l10n xauth \
                postgresql postgresql-15-postgis-3 python3-psycopg2
SYS_PYTHON := /usr/bin/python3
VENV := .venv
PY := $(VENV)/bin/python
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
ZIP := dist/lmvw_plugin-$(VERSION).zip
TS := lmvw_plugin/i18n/lmvw_nl.ts
QM := lmvw_plugin/i18n/lmvw_nl.qm
export QT_QPA_PLATFORM ?= offscreen
export XDG_RUNTIME_DIR ?= /tmp/runtime-$(shell id -u)
QGIS_PROFILE_DIR ?= $(HOME)/.local/share/QGIS/QGIS3/profiles/default

.PHONY: help setup apt venv demo test test-fast zip repo install run transup transcompile lint bench clean

help:
	@echo "make demo         create, validate and deliver the demo plans (headless) into out/; then: make run"
	@echo "make test         every test, including a real QGIS desktop under Xvfb (a few minutes)"
	@echo "make test-fast    every test except the QGIS desktop ones (-m 'not desktop')"
	@echo "make bench        national-scale benchmark (50,000 plans) against QGIS/GDAL references"
	@echo "make zip          $(ZIP), installable with 'Install from ZIP'"
	@echo "make repo         the zip checked as plugins.qgis.org checks it, plugins.xml beside it (REPO_URL=https://…/)"
	@echo "make install      install into the default QGIS profile"
	@echo "make run          QGIS desktop with the plugin and the demo layer (needs a display)"
	@echo "make transup | transcompile | lint | clean"

setup: apt venv

apt:
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
	  echo "Installing Debian packages: $(APT_PACKAGES)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(APT_PACKAGES); \
	fi

venv: $(VENV)/.stamp

$(VENV)/.stamp: requirements-dev.txt | apt
	$(SYS_PYTHON) -m venv --system-site-packages $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

$(QM): $(TS) | apt
	lrelease -silent $(TS) -qm $(QM)

transcompile: $(QM)

transup: setup
	pylupdate5 -noobsolete $$(find lmvw_plugin -name '*.py' -not -path '*/__pycache__/*' | sort) \
	  $$(find lmvw_plugin/gui -name '*.ui' | sort) -ts $(TS)

demo: setup transcompile
	$(PY) -m lmvw_plugin demo --out out

# Second run, without shapely 2 on the QGIS path (as Debian's own QGIS): LMVW_TEST_WITHOUT_SHAPELY
# blocks `import shapely` in the test process (the plugin then runs on the GDAL/OGR back end) and
# gives the desktop test's QGIS profile no shapely (QGIS runs /usr/bin/python3, which has none).
# Only what differs without shapely: the plugin's QGIS tests (plugin, dock, dialogs, form/rule
# equivalence, the shapely offer) and the desktop test, ~1-2 minutes; the rule tests already run
# on both back ends in the first run (tests/conftest.py geometry_backend).
NOSHAPELY_TESTS := tests/test_plugin.py tests/test_dock.py tests/test_dialogs.py \
                   tests/test_form_rule_equivalence.py tests/test_deps.py \
                   tests/test_desktop.py::test_plugin_in_real_qgis_desktop

test: setup transcompile zip
	LMVW_REQUIRE_POSTGIS=1 $(PY) -m pytest -q tests
	LMVW_TEST_WITHOUT_SHAPELY=1 $(PY) -m pytest -q $(NOSHAPELY_TESTS)

test-fast: setup transcompile
	LMVW_REQUIRE_POSTGIS=1 $(PY) -m pytest -q tests -m "not desktop"

zip: setup transcompile
	$(PY) scripts/build_zip.py --out $(ZIP)

# a plugin repository: dist/plugins.xml (+ icon) beside the zip; REPO_URL is where dist/ is served from
repo: zip
	$(PY) scripts/plugin_repo.py $(ZIP) $(if $(REPO_URL),--url $(REPO_URL))

install: zip
	mkdir -p $(QGIS_PROFILE_DIR)/python/plugins
	rm -rf $(QGIS_PROFILE_DIR)/python/plugins/lmvw_plugin
	cd $(QGIS_PROFILE_DIR)/python/plugins && $(SYS_PYTHON) -m zipfile -e $(abspath $(ZIP)) .
	@$(SYS_PYTHON) -c "import shapely, sys; sys.exit(int(shapely.__version__.split('.')[0]) < 2)" 2>/dev/null \
	  || $(PY) scripts/install_deps.py $(QGIS_PROFILE_DIR)/python
	@echo "Installed into $(QGIS_PROFILE_DIR)/python/plugins/lmvw_plugin; enable it in Plugins > Manage and Install Plugins."

run: install demo
	QT_QPA_PLATFORM= qgis --noversioncheck --project "geopackage:$(abspath out/woningbouwplannen.gpkg)?projectName=woningbouwplannen"

lint: setup
	$(PY) -m ruff check lmvw_plugin tests scripts $(wildcard bench)
	$(PY) scripts/qt6_scan.py lmvw_plugin tests

bench: setup transcompile
	$(PY) bench/run.py

clean:
	rm -rf dist out build .pytest_cache $(QM)
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
