#!/usr/bin/env bash
# Compile-checks the Windows and macOS lock watchers (crates/os-lock) from a Linux machine, with clippy
# so their warnings count too. Nothing is run: these targets cannot run here. Not part of
# scripts/test-all.sh (CI time); run it after changing crates/os-lock.
#
# Only the os-lock crate is checked, not the whole app: tessera-app's build script (tauri-build) needs
# the Windows resource compiler (x86_64-w64-mingw32-windres) for Windows, and objc2-exception-helper
# needs Apple's Objective-C compiler for macOS, neither of which a Linux machine has.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(x86_64-pc-windows-gnu x86_64-apple-darwin)
installed="$(rustup target list --installed)"
for target in "${targets[@]}"; do
  grep -qx "$target" <<<"$installed" || rustup target add "$target"
done
for target in "${targets[@]}"; do
  echo "== tessera-os-lock for $target"
  cargo clippy -p tessera-os-lock --all-targets --target "$target" -- -D warnings
done
