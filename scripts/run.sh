#!/usr/bin/env bash
# Sets everything up, then starts the desktop app; without a display, builds the CLI and says how to use it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -f src-tauri/Cargo.toml ]; then
  # The app embeds the built UI; a release build with Tauri's custom protocol is what a bundle ships.
  npm run build:ui
  cargo run --release -p tessera-app --features tauri/custom-protocol
else
  cargo build --release -p tessera-cli
  echo "No display found: use the command line instead."
  echo "  ./target/release/tessera --help"
  ./target/release/tessera --help
fi
