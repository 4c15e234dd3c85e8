#!/usr/bin/env bash
# Builds the app (release) and serves it with the built-in sample portfolio at
# http://127.0.0.1:${PORT:-8080}/ . Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
./scripts/setup.sh
cargo fetch
trunk build --release --public-url /
PORT="${PORT:-8080}"
echo
echo "Ballast is at http://127.0.0.1:$PORT/  (Ctrl-C stops it)"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
