#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, run and test Tessera. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libwebkit2gtk-4.1-dev   # Tauri 2 (WebKitGTK, GTK 3, libsoup 3)
  xvfb xauth              # a display for the app and end-to-end tests
  webkit2gtk-driver       # WebKitWebDriver, used by tauri-driver
  imagemagick             # screenshots of the Xvfb display
  gnome-keyring libsecret-tools dbus-daemon  # a real Secret Service for keychain tests
  xclip                   # the end-to-end test reads the clipboard the app wrote
  xdotool                 # the quick-copy end-to-end test sends the global shortcut as real key events
  python3-xlib            # scripts/bench-app.sh (bench/app_start.py watches the X server)
  libayatana-appindicator3-1  # the tray icon (loaded at run time)
  pkg-config build-essential
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ -f package.json ]; then
  # Not `npm ci`: the registry here lacks some foreign-platform optional packages (see docs/desktop-app.md).
  npm install --no-audit --no-fund
fi

# The WebDriver bridge between the end-to-end tests and the app's WebKitGTK window.
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v tauri-driver >/dev/null 2>&1; then
  cargo install tauri-driver --locked --version ^2
fi
