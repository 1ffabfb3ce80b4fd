#!/usr/bin/env bash
# Make sure poppler-utils (pdftotext, pdftoppm, pdfinfo) is installed, for the report's PDF tests.
#
#   scripts/ensure_poppler.sh
#
# Installs the Debian package with apt-get when it is missing (as root, or with sudo without a password).
# Exit status: 0 the tools are there, 3 they are missing and cannot be installed here (callers may skip on
# 3, but not under CI=true).
set -uo pipefail

have() { command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1; }
if have; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_poppler.sh: poppler-utils is missing and there is no apt-get to install it" >&2
    exit 3
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "ensure_poppler.sh: poppler-utils is missing; installing it needs root (apt-get install poppler-utils)" >&2
        exit 3
    fi
fi
# Tests run in parallel: one installs, the others wait for it.
if command -v flock >/dev/null 2>&1; then
    exec 9>"${TMPDIR:-/tmp}/dorsum-ensure-poppler.lock"
    flock 9
    if have; then
        exit 0
    fi
fi
echo "ensure_poppler.sh: installing poppler-utils" >&2
export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -y -q -o DPkg::Lock::Timeout=300)
if ! $SUDO "${APT[@]}" install poppler-utils >&2; then
    $SUDO "${APT[@]}" update >&2 && $SUDO "${APT[@]}" install poppler-utils >&2
fi
if have; then
    exit 0
fi
echo "ensure_poppler.sh: could not install poppler-utils" >&2
exit 3
