#!/usr/bin/env bash
# Runs every Ballast test on a fresh machine: installs what is missing, then formatting, clippy
# (native and wasm32), the native tests, the release wasm build (served from a sub-path) and the
# browser end-to-end tests in headless Chromium. Exit status is non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "toolchain"
./scripts/setup.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (native: core, charts, cli)"
cargo clippy --workspace --exclude ballast --all-targets -- -D warnings

step "clippy (wasm32: app, core, charts)"
cargo clippy --target wasm32-unknown-unknown -p ballast -p ballast-core -p ballast-charts -- -D warnings

step "native tests"
cargo test --workspace --exclude ballast

step "release CLI (for the browser tests' CLI comparison)"
cargo build --release -p ballast-cli

step "release wasm build under the sub-path /ballast/"
cargo fetch
rm -rf dist
trunk build --release --public-url /ballast/

step "browser end-to-end tests (headless Chromium)"
node tests/e2e/run.mjs

step "all tests passed"
