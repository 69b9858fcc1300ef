#!/usr/bin/env bash
# Runs inside app_start.py's D-Bus session, before t=0: an unlocked keyring and a keychain vault with
# $BENCH_ACCOUNTS accounts (default 20), so the app opens straight onto the codes screen.
# Needs $TESSERA_BIN (the CLI built in the same run).
set -u
T=${TESSERA_BIN:?set TESSERA_BIN to the tessera CLI}
N=${BENCH_ACCOUNTS:-20}
echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
for _ in $(seq 50); do
  dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner \
    string:org.freedesktop.secrets 2>/dev/null | grep -q true && break
  sleep 0.1
done
"$T" init >/dev/null 2>&1 || { echo "prep: tessera init failed" >&2; exit 1; }
for i in $(seq "$N"); do
  env=live; [ $((i % 2)) -eq 0 ] && env=sandpit
  "$T" add --secret "$(python3 -c "import base64,os;print(base64.b32encode(os.urandom(20)).decode())")" \
    --issuer "Service $((i / 2))" --account "user$i@nhs.net" --env $env >/dev/null 2>&1 \
    || { echo "prep: tessera add failed" >&2; exit 1; }
done
