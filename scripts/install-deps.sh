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
  npm install --no-audit --no-fund
fi
