#!/usr/bin/env bash
# Build the one-folder program into dist/dockview/ (run from anywhere, inside a virtual
# environment that has dockview's dependencies, or let this script make one).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${VIRTUAL_ENV:-}" ]; then
  python3 -m venv .venv-build
  . .venv-build/bin/activate
  python -m pip install --quiet --upgrade pip
  pip install --quiet .
fi
pip install --quiet 'pyinstaller>=6.10'
pyinstaller --noconfirm --clean --log-level WARN dockview.spec
du -sh dist/dockview
