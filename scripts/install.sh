#!/usr/bin/env bash
# Idempotent installer for a fresh Debian 12 machine.
#   scripts/install.sh          runtime: ffmpeg, .venv, pip install -e .
#   scripts/install.sh --test   also chromium, PostgreSQL server, node/npm, pip install -e '.[test]', npm ci
# Only touches apt/pip/npm when something is actually missing or pyproject.toml changed.
# Set CINEDOC_FORCE_INSTALL=1 to re-run pip install unconditionally.
set -euo pipefail
cd "$(dirname "$0")/.."

with_test=0
for arg in "$@"; do
    case "$arg" in
        --test) with_test=1 ;;
        -h | --help)
            sed -n '2,6s/^# \{0,1\}//p' "$0"
            exit 0
            ;;
        *)
            echo "install.sh: unknown argument: $arg" >&2
            exit 2
            ;;
    esac
done

say() { printf '[install] %s\n' "$*"; }

venv_ok() { [ -x .venv/bin/python ] && .venv/bin/python -c 'import sys' >/dev/null 2>&1; }

# --- system packages -------------------------------------------------------
missing=()
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
# The demo films' title cards are drawn with this font (ffmpeg drawtext).
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)

# python3-venv is only needed to create .venv; probe by actually creating a venv,
# because `python3 -m venv --help` succeeds on Debian even without ensurepip.
if ! venv_ok && command -v python3 >/dev/null 2>&1; then
    probe=$(mktemp -d)
    if ! python3 -m venv "$probe/venv" >/dev/null 2>&1; then
        missing+=(python3-venv)
    fi
    rm -rf "$probe"
elif ! venv_ok; then
    missing+=(python3-venv)
fi

if [ "$with_test" = 1 ]; then
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    # Debian keeps the server binaries outside PATH, one directory per major version.
    if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
        missing+=(postgresql)
    fi
    command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
fi

if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        sudo=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo=(sudo)
    else
        echo "install.sh: missing system packages: ${missing[*]}" >&2
        echo "install.sh: installing them needs root; run as root or first run:" >&2
        echo "    sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    say "apt-get install ${missing[*]}"
    # Wait for a concurrently running apt/dpkg (e.g. unattended upgrades) instead of failing.
    apt_opts=(-o DPkg::Lock::Timeout=600 -q)
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y "${missing[@]}"
else
    say "system packages present"
fi

# --- Python virtualenv -----------------------------------------------------
if ! venv_ok; then
    say "creating .venv"
    rm -rf .venv
    python3 -m venv .venv
fi

if [ ! -f pyproject.toml ]; then
    echo "install.sh: pyproject.toml not found in $(pwd)" >&2
    exit 1
fi

if [ "$with_test" = 1 ]; then
    target='.[test]'
else
    target='.'
fi
# Skip pip when the same pyproject.toml was already installed with the same extras and
# the distribution is still installed (not just importable from the cwd): pip install -e re-resolves every dependency and
# builds an editable wheel each time, which costs seconds and needs the network.
stamp=.venv/.cinedoc-install-stamp
want="$(sha256sum pyproject.toml | cut -d' ' -f1) $target"
have=$(cat "$stamp" 2>/dev/null || true)
# A plain install is satisfied by an earlier [test] install of the same pyproject.toml.
if [ "${CINEDOC_FORCE_INSTALL:-0}" != 1 ] \
    && { [ "$have" = "$want" ] || [ "$have" = "${want% *} .[test]" ]; } \
    && .venv/bin/python -c 'import importlib.metadata as m; m.distribution("cinedoc")' >/dev/null 2>&1; then
    say "python packages up to date (${have#* })"
else
    say "pip install -e '$target'"
    rm -f "$stamp"
    .venv/bin/pip install -q --disable-pip-version-check -e "$target"
    echo "$want" >"$stamp"
fi

# --- JavaScript test assets --------------------------------------------------
if [ "$with_test" = 1 ]; then
    if [ ! -d node_modules/axe-core ] || [ ! -d node_modules/hls.js ]; then
        if [ -f package-lock.json ]; then
            say "npm ci"
            npm ci --no-audit --no-fund
        else
            say "npm install"
            npm install --no-audit --no-fund
        fi
    else
        say "node modules present"
    fi
fi

say "done"
