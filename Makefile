# The two set-up commands: `make run` and `make test`. Both install what is missing first.
SWIFT ?= swift
DATA_DIR ?= ./data
SYSTEM_PACKAGES := libsqlite3-dev libssl-dev libmimalloc-dev curl
# Only `make test` needs these: Tests/python/browser_pages.py drives Debian's headless Chromium
# through its chromedriver (Selenium is told both paths, so it downloads nothing).
TEST_SYSTEM_PACKAGES := chromium chromium-driver

.PHONY: run test build deps test-deps python-deps release bench clean

# Installs the Debian packages named in $(1), only when one is missing.
define install-missing
	@missing=""; \
	for package in $(1); do \
		dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi
endef

# The Debian packages the build needs.
deps:
	$(call install-missing,$(SYSTEM_PACKAGES))

# The Debian packages only the tests need (`make run` does not).
test-deps:
	$(call install-missing,$(TEST_SYSTEM_PACKAGES))

build: deps
	$(SWIFT) build

# Starts the server on ./data with a generated signing key and admin credential.
run: build
	$(SWIFT) run --skip-build grantledger serve --data-dir $(DATA_DIR) --dev-login --gateway-origin mock \
		--default-budget "100000/daily;max=25000" --signing-means dummy,employeeid \
		--clear-auth-endpoint "POST /v1/auth/blind/mint" --clear-auth-endpoint "POST /v1/mint/*"

# The whole suite: unit, HTTP and the integration tests that drive the real binary.
# The suite's temporary files (ledgers, keys, browser profiles: a gigabyte or more a run) go in
# one directory per checkout, emptied before each run and removed after a green one, so runs do
# not fill /tmp; a red run's are kept for reading. Short and under /tmp, not in .build: Chromium
# puts a Unix socket under TMPDIR, and a socket's path must stay under 108 bytes however deep the
# checkout. `|| true`: a fault test's tmpfs that a killed run left mounted cannot be removed, and
# must not stop the next run.
TEST_TMPDIR := /tmp/grantledger-test-$(shell printf '%s' "$(CURDIR)" | sha256sum | cut -c1-12)

test: deps test-deps python-deps
	$(PYTHON) tools/check-target-imports.py
	$(SWIFT) build --build-tests
	rm -rf "$(TEST_TMPDIR)" || true
	mkdir -p "$(TEST_TMPDIR)"
	TMPDIR="$(TEST_TMPDIR)" $(SWIFT) test --skip-build
	rm -rf "$(TEST_TMPDIR)" || true

# Python for Tests/python (the seed-000 PyJWT client that IntegrationTests runs): a venv in
# .build/python, reinstalled only when requirements.txt changes.
PYTHON ?= python3
PYTHON_VENV := .build/python
PYTHON_REQUIREMENTS := Tests/python/requirements.txt

python-deps: $(PYTHON_VENV)/.installed

$(PYTHON_VENV)/bin/python:
	$(PYTHON) -m venv $(PYTHON_VENV)

$(PYTHON_VENV)/.installed: $(PYTHON_REQUIREMENTS) | $(PYTHON_VENV)/bin/python
	$(PYTHON_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r $(PYTHON_REQUIREMENTS)
	touch $@

release: deps
	$(SWIFT) build -c release

# Store benchmarks (ordo-one/benchmark); see Benchmarks/README.md.
bench: deps
	cd Benchmarks && $(SWIFT) package --disable-sandbox benchmark

clean:
	rm -rf .build
