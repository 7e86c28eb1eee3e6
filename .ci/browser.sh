#!/usr/bin/env bash
# Install what the browser tests need: Debian's chromium and the Python playwright package.
# Idempotent: does nothing when both are present. Works run or sourced (inside the project's
# venv, or with VIRTUAL_ENV set); the work happens in a subshell so no shell options leak.
(
    set -euo pipefail
    if [ ! -x /usr/bin/chromium ]; then
        SUDO=""
        if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
    fi
    PY="${VIRTUAL_ENV:+$VIRTUAL_ENV/bin/}python"
    command -v "$PY" >/dev/null 2>&1 || PY=python3
    # playwright drives the system chromium (executable_path); `playwright install` cannot
    # download browsers here, and is not needed
    if ! "$PY" -c "import playwright.sync_api" >/dev/null 2>&1; then
        "$PY" -m pip install -q "playwright>=1.44"
    fi
    echo "browser.sh: $(/usr/bin/chromium --version 2>/dev/null); playwright $("$PY" -c 'import importlib.metadata as m; print(m.version("playwright"))')" >&2
)
