#!/usr/bin/env bash
# Installs what the browser tests need when it is missing: Debian's chromium (and chromium-driver, for
# WebDriver users) and the npm packages pinned in e2e/package-lock.json (playwright-core drives the
# Debian chromium at /usr/bin/chromium; it downloads no browser). Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ensure_browser: chromium is missing and there is no root or sudo to install it (apt-get install chromium chromium-driver)" >&2
    exit 3
  fi
  echo "ensure_browser: installing chromium and chromium-driver from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2 || true
  $SUDO apt-get install -y -qq chromium chromium-driver >&2
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "ensure_browser: node and npm are needed (apt-get install nodejs npm)" >&2
  exit 3
fi
if [ ! -d e2e/node_modules/playwright-core ] || [ ! -d e2e/node_modules/axe-core ] \
   || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
  echo "ensure_browser: installing the e2e npm packages" >&2
  (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2)
fi
echo "ensure_browser: ready ($(chromium --version 2>/dev/null | head -1))" >&2
