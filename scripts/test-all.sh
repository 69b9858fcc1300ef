#!/usr/bin/env bash
# Runs every test layer: Rust unit/integration tests (with a real gnome-keyring on a private session
# bus, and without any bus), front-end tests, and end-to-end tests in a real window under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each run gets a throwaway keyring directory and runtime dir (a stale login.keyring breaks unlocking).
export XDG_DATA_HOME="$(mktemp -d)"
export XDG_RUNTIME_DIR="$(mktemp -d)"; chmod 700 "$XDG_RUNTIME_DIR"
export CARGO_TERM_COLOR=never
# On CI every build is cold: incremental caches only cost disk there.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi
echo "== Disk before the build: $(df -h --output=avail . | tail -1 | tr -d ' ') free"

echo "== Rust tests with a real Secret Service (gnome-keyring on a private session bus)"
dbus-run-session -- bash -c '
  echo -n tessera-ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  for i in $(seq 50); do
    dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner \
      string:org.freedesktop.secrets 2>/dev/null | grep -q true && break
    sleep 0.1
  done
  REQUIRE_KEYRING=1 cargo test --workspace --exclude tessera-app 2>&1
'

echo "== Vault tests with no session bus at all (the keychain is unavailable; password paths must work)"
env -u DBUS_SESSION_BUS_ADDRESS cargo test -p tessera-core --lib vault 2>&1
env -u DBUS_SESSION_BUS_ADDRESS cargo test -p tessera-core --test keychain --test vault_format_doc 2>&1
env -u DBUS_SESSION_BUS_ADDRESS cargo test -p tessera-cli --test vault_cli 2>&1

echo "== Build folder: $(du -sh target 2>/dev/null | cut -f1)"
echo "== Front-end: build (the app crate embeds ui/dist) and component tests with mocked IPC"
npm run build:ui
# The IPC layer agrees with the types generated from Rust (ipc.gen.ts, checked by tests/ipc_types.rs).
npx tsc -p ui/tsconfig.ipc.json
npx vitest run --root ui

echo "== App shell: Tauri commands through the mock runtime"
cargo test -p tessera-app 2>&1
echo "== App shell: locking on the OS's suspend and screen-lock signals, sent on a private session bus"
dbus-run-session -- env REQUIRE_DBUS=1 cargo test -p tessera-app --test os_lock 2>&1

echo "== End-to-end: the real app under Xvfb, driven by WebDriver, with a real gnome-keyring"
# A plain debug build embeds ui/dist (no devUrl), which is what the end-to-end test drives.
cargo build -p tessera-app 2>&1
echo "== Build folder: $(du -sh target 2>/dev/null | cut -f1), disk free: $(df -h --output=avail . | tail -1 | tr -d ' ')"
export PATH="$HOME/.cargo/bin:$PATH"
# The app checks the clock over the network after unlock: never against real NTP servers in tests
# (recovery.e2e.test.mjs turns it back on, pointed at a responder it runs on 127.0.0.1).
export TESSERA_CLOCK_NETWORK=0
NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash -c '
  echo -n tessera-ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  # One file at a time (each starts its own app and WebKit); a hang fails the run instead of stalling it.
  timeout 1200 node --test --test-concurrency=1 --test-force-exit tests/e2e/*.test.mjs
'
