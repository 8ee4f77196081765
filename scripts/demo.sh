#!/usr/bin/env bash
# Install what the demo needs (idempotent), then run `cinedoc demo` with any arguments given.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/cinedoc demo "$@"
