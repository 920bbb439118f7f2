#!/usr/bin/env bash
# Install the system Chromium used by the browser end-to-end tests (tests/test_widget_e2e.py).
# Idempotent: does nothing when /usr/bin/chromium already exists.
# Playwright's own browser download is not used (it needs network access the CI does not have);
# the tests launch /usr/bin/chromium through playwright's `executable_path`.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo -n"
    else
        echo "install-browser.sh: need root (or sudo) to apt-get install chromium" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    chromium chromium-driver fonts-dejavu-core < /dev/null

if [ ! -x /usr/bin/chromium ]; then
    echo "install-browser.sh: /usr/bin/chromium still missing after apt-get install" >&2
    exit 1
fi
echo "installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
