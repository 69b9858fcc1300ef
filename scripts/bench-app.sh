#!/usr/bin/env bash
# The desktop app's cost, measured against the least a Tauri 2 app can be (bench/tauri-floor: one static
# page) in the same run, so the ratios hold on a noisy machine. Headless: Xvfb, software GL, no window
# manager. Method and tools: bench/ (app_start.py and idle_cpu.sh are copies of the project's appbench).
#
#   scripts/bench-app.sh            build both release apps, then measure
#   BENCH_NO_BUILD=1 scripts/bench-app.sh     measure what is built
#   BENCH_RUNS=5 BENCH_IDLE_S=20 BENCH_ACCOUNTS=20   (defaults)
#
# Prints: exec → first code painted vs the floor's first text (median of BENCH_RUNS), PSS of the process
# tree 3 s after the window, idle CPU with BENCH_ACCOUNTS codes on screen, and the .deb size if one is
# built (`npm run tauri -- build --bundles deb`). Results also go to bench/results/ (JSON + screenshots).
# Needs: xvfb xauth python3-xlib imagemagick gnome-keyring dbus-daemon (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${BENCH_RUNS:-5}
IDLE_S=${BENCH_IDLE_S:-20}
export BENCH_ACCOUNTS=${BENCH_ACCOUNTS:-20}
OUT=$ROOT/bench/results
mkdir -p "$OUT"

if [ -z "${BENCH_NO_BUILD:-}" ]; then
  npm run build:ui
  nice -n 5 cargo build --release -p tessera-app -p tessera-cli --features tauri/custom-protocol
  (cd bench/tauri-floor && nice -n 5 cargo build --release --features custom-protocol)
fi
APP=$ROOT/target/release/tessera-app
CLI=$ROOT/target/release/tessera
FLOOR=$ROOT/bench/tauri-floor/target/release/tauri-floor
for b in "$APP" "$CLI" "$FLOOR"; do [ -x "$b" ] || { echo "missing $b (build first)" >&2; exit 1; }; done

py=/usr/bin/python3
# Floor: its heading "963 114" at the top left. Tessera: the first code of the first row.
$py bench/app_start.py --name floor --runs "$RUNS" --dark-region 24,20,200,40 \
  --json "$OUT/floor.json" --screenshot "$OUT/floor.png" -- "$FLOOR" | tee "$OUT/floor.txt"
$py bench/app_start.py --name tessera --runs "$RUNS" --env TESSERA_CLOCK_NETWORK=0 \
  --env "TESSERA_BIN=$CLI" --session-prep "TESSERA_BIN=$CLI bash $ROOT/bench/prep.sh" \
  --dark-region "${BENCH_CODE_REGION:-600,130,220,50}" \
  --json "$OUT/tessera.json" --screenshot "$OUT/tessera.png" -- "$APP" | tee "$OUT/tessera.txt"
idle=$(xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- bash bench/idle_cpu.sh "$APP" "$CLI" "$BENCH_ACCOUNTS" "$IDLE_S" \
  | grep -o 'idle_cpu_pct=[0-9.]*' | cut -d= -f2)

deb=$(ls -1t target/release/bundle/deb/*.deb 2>/dev/null | head -1 || true)
$py - "$OUT/floor.json" "$OUT/tessera.json" "$idle" "$APP" "${deb:-}" <<'PY' | tee "$OUT/summary.txt"
import json, os, sys
floor, app = (json.load(open(p))["summary"] for p in sys.argv[1:3])
idle, binary, deb = sys.argv[3], sys.argv[4], sys.argv[5]
def med(s, k):
    return (s.get(k) or {}).get("median")
ft, at = med(floor, "t_dark_s"), med(app, "t_dark_s")
fp, ap = med(floor, "app_pss_kb"), med(app, "app_pss_kb")
print("               tessera      floor     ratio   target")
if ft and at:
    print(f"first paint  {at:8.3f} s {ft:8.3f} s {at / ft:8.2f}x   <= 1.30x")
else:
    print(f"first paint  tessera {at} floor {ft} (a probe timed out: check the screenshots)")
if fp and ap:
    print(f"PSS          {ap / 1024:6.1f} MiB {fp / 1024:6.1f} MiB {ap / fp:8.2f}x   <= 1.15x")
print(f"idle CPU     {idle} % of one core ({os.environ.get('BENCH_ACCOUNTS')} codes on screen)   <= 2 %")
print(f"binary       {os.path.getsize(binary) / 1e6:.2f} MB ({binary})")
if deb:
    print(f".deb         {os.path.getsize(deb) / 1e6:.2f} MB ({os.path.basename(deb)})")
PY
