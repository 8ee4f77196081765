#!/usr/bin/env bash
# Idempotent installer for a fresh Debian 12 machine.
#   scripts/install.sh          runtime: ffmpeg, node/npm, .venv, pip install -e ., npm ci --omit=dev (hls.js)
#   scripts/install.sh --test   also chromium, PostgreSQL server, pip install -e '.[test]', npm ci (adds axe-core)
# Only touches apt/pip/npm when something is actually missing or pyproject.toml/package-lock.json changed.
# Set CINEDOC_FORCE_INSTALL=1 to re-run pip install unconditionally.
set -euo pipefail
cd "$(dirname "$0")/.."

with_test=0
for arg in "$@"; do
    case "$arg" in
        --test) with_test=1 ;;
        -h | --help)
            sed -n '2,7s/^# \{0,1\}//p' "$0"
            exit 0
            ;;
        *)
            echo "install.sh: unknown argument: $arg" >&2
            exit 2
            ;;
    esac
done

say() { printf '[install] %s\n' "$*"; }

# node_packages_ok [--omit=dev]: every package of package-lock.json (without the dev ones) is in node_modules at its
# locked version. The player serves hls.js from node_modules, so a runtime install needs it as much as the tests do.
node_packages_ok() {
    command -v python3 >/dev/null 2>&1 || return 1
    python3 - "$@" <<'PY'
import json, pathlib, sys
omit_dev = "--omit=dev" in sys.argv[1:]
try:
    packages = json.loads(pathlib.Path("package-lock.json").read_text())["packages"]
    for path, facts in packages.items():
        if not path or (omit_dev and facts.get("dev")):
            continue
        installed = json.loads((pathlib.Path(path) / "package.json").read_text())
        if installed.get("version") != facts.get("version"):
            sys.exit(1)
except (OSError, ValueError, KeyError):
    sys.exit(1)
PY
}

if [ "$with_test" = 1 ]; then npm_omit=(); else npm_omit=(--omit=dev); fi

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
fi
if ! command -v npm >/dev/null 2>&1 && ! node_packages_ok "${npm_omit[@]}"; then
    missing+=(nodejs npm)
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

# --- JavaScript packages ---------------------------------------------------------
# `npm ci` installs exactly what package-lock.json pins (integrity-checked); --omit=dev leaves out axe-core, which only
# the accessibility tests use.
if node_packages_ok "${npm_omit[@]}"; then
    say "node modules present"
else
    say "npm ci ${npm_omit[*]}"
    npm ci --no-audit --no-fund "${npm_omit[@]}"
fi

say "done"
