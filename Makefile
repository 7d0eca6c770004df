# The two set-up commands: `make run` and `make test`. Both install what is missing first.
SWIFT ?= swift
DATA_DIR ?= ./data
SYSTEM_PACKAGES := libsqlite3-dev libssl-dev curl

.PHONY: run test build deps python-deps release bench clean

# Installs the Debian packages the build and tests need, only when one is missing.
deps:
	@missing=""; \
	for package in $(SYSTEM_PACKAGES); do \
		dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

# Starts the server on ./data with a generated signing key and admin credential.
run: build
	$(SWIFT) run --skip-build grantledger serve --data-dir $(DATA_DIR) --dev-login --gateway-origin mock \
		--default-budget "100000/daily;max=25000" \
		--clear-auth-endpoint "POST /v1/auth/blind/mint" --clear-auth-endpoint "POST /v1/mint/*"

# The whole suite: unit, HTTP and the integration tests that drive the real binary.
test: deps python-deps
	$(PYTHON) tools/check-target-imports.py
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

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
