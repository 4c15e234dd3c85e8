#!/usr/bin/env bash
# Performance figures for the issue budgets (not a test): criterion benches of the core, the
# CLI end to end on a 500-asset x 2520-day wide CSV, and the browser timings (scripts/bench-browser.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
tmp=$(mktemp -d)
cargo build --release -p ballast-cli -p ballast-core --example synthetic_prices
target/release/examples/synthetic_prices 500 2520 > "$tmp/wide.csv"
echo "CLI: ballast analyze on 500 x 2520 ($(du -h "$tmp/wide.csv" | cut -f1)), 5 runs:"
TIMEFORMAT='  %R s wall'
for i in 1 2 3 4 5; do
  time target/release/ballast analyze --prices "$tmp/wide.csv" --json > /dev/null
done
rm -rf "$tmp"
cargo bench -p ballast-core --bench analyze
if [ -d dist ]; then node scripts/bench-browser.mjs; else echo "(no dist/: run trunk build --release first for browser timings)"; fi
