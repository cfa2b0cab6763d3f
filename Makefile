# Installers (issue 8): `make installer` builds the Windows installer and the Linux bundle into dist/.
# Each target first runs the bootstrap (Debian packages incl. scripts/debian-packages-installer.txt,
# .venv with the installer tools). Network: PyPI and Debian only, and only on the first build.
SHELL := /bin/bash
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BOOTSTRAP := MADOGUCHI_PACKAGE_LISTS=$(ROOT)/scripts/debian-packages-installer.txt source $(ROOT)/scripts/bootstrap.sh

.PHONY: installer installer-windows installer-linux installer-test windows-lock

installer: installer-windows installer-linux

installer-windows:
	$(BOOTSTRAP) && cd $(ROOT) && python -m installer.windows --out dist

installer-linux:
	$(BOOTSTRAP) && cd $(ROOT) && python -m installer.linux --out dist

# The installer tests alone (they also run in ./run-tests.sh).
installer-test:
	$(BOOTSTRAP) && cd $(ROOT) && python -m pytest -m installer tests/installer

# Re-resolve the Windows packages after changing dependencies in pyproject.toml.
windows-lock:
	$(BOOTSTRAP) && cd $(ROOT) && python -m installer.windows.lock
