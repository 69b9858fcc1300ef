// End-to-end: the global quick-copy shortcut, sent as real X key events with xdotool (the plugin grabs
// the keys on the X root window, which works under Xvfb without a window manager), typing "spi li",
// Enter, then the X clipboard read with xclip and checked against an independent TOTP. Then a second
// launch, which must hand over to the running copy and leave one process.
// Needs xdotool and xclip (scripts/install-deps.sh) and the CLI (target/debug/tessera) for the vault.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { app, appsUsing, launchApp, root } from "./harness.mjs";
import { totp } from "./totp.mjs";

const LIVE_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const SANDPIT_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const GITHUB_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU";
const cli = path.join(root, "target/debug/tessera");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let session;
let browser;
let trace;

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: "utf8", timeout: 20_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

const xdotool = (...args) => run("xdotool", args);
const clipboard = () => spawnSync("xclip", ["-o", "-selection", "clipboard"], { encoding: "utf8", timeout: 5000 }).stdout;
const traceLines = () => (existsSync(trace) ? readFileSync(trace, "utf8").trim().split("\n").filter(Boolean) : []);

async function until(what, check, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Presses the shortcut; resolves with the ms until the quick window had its search box focused. */
async function pressShortcut() {
  const before = traceLines().length;
  const t0 = performance.now();
  xdotool("key", "--clearmodifiers", "ctrl+alt+o");
  await until("the quick-copy window", () => traceLines().length > before);
  return { wall: performance.now() - t0, app: Number(traceLines()[before]) };
}

before(async () => {
  session = await launchApp({
    tag: "quickcopy",
    env: { TESSERA_CLOCK_NETWORK: "0" },
    prepare: ({ work, vaultPath }) => {
      trace = path.join(work, "quick-trace.txt");
      process.env.TESSERA_QUICK_TRACE = trace;
      const env = { TESSERA_VAULT: vaultPath };
      run(cli, ["init"], env);
      for (const [issuer, account, secret, envName] of [
        ["NHS Spine", "alice", LIVE_SECRET, "live"],
        ["NHS Spine", "alice", SANDPIT_SECRET, "sandpit"],
        ["GitHub", "carol", GITHUB_SECRET, null],
      ]) {
        run(cli, ["add", "--secret", secret, "--issuer", issuer, "--account", account, ...(envName ? ["--env", envName] : [])], env);
      }
    },
  });
  browser = session.browser;
});

after(async () => {
  await session?.close();
});

test("the shortcut opens quick copy; 'spi li' + Enter copies the NHS Spine Live code", async () => {
  await browser.waitUntil(async () => (await browser.$$(".row-button")).length === 3, { timeout: 20_000 });
  // The pointer somewhere on the screen, as a person's would be.
  xdotool("mousemove", "640", "400");
  const first = await pressShortcut();
  await sleep(300); // let the first window finish loading its list
  xdotool("type", "--delay", "20", "spi li");
  await sleep(400);
  const shown = run("xdotool", ["search", "--onlyvisible", "--name", "Tessera quick copy"]).trim();
  assert.ok(shown, "the quick-copy window is visible");
  spawnSync("import", ["-window", "root", path.join(process.env.TESSERA_E2E_SHOTS ?? path.join(root, "e2e-artifacts"), "quickcopy-typed.png")]);
  xdotool("key", "Return");
  const code = await until("the code on the clipboard", () => /^\d{6}$/.test(clipboard().trim()) && clipboard().trim());
  const now = Date.now() / 1000;
  const allowed = [now - 2, now, now + 2].map((t) => totp(LIVE_SECRET, t));
  assert.ok(allowed.includes(code), `clipboard ${code}, independent TOTP ${allowed[1]}`);
  assert.ok(!allowed.includes(totp(SANDPIT_SECRET, now)), "not the Sandpit twin's code");
  // Enter hid the window.
  await until("the window to hide", () => spawnSync("xdotool", ["search", "--onlyvisible", "--name", "Tessera quick copy"]).status !== 0);

  // Opening it again (window already made): this is the everyday case, target ≤ 150 ms.
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = await pressShortcut();
    times.push(t);
    await sleep(100);
    xdotool("key", "Escape");
    await until("Esc to hide", () => spawnSync("xdotool", ["search", "--onlyvisible", "--name", "Tessera quick copy"]).status !== 0);
  }
  const wall = times.map((t) => t.wall).sort((a, b) => a - b);
  const inApp = times.map((t) => t.app).sort((a, b) => a - b);
  console.log(
    `quick copy: first open ${first.wall.toFixed(0)} ms (app ${first.app} ms); again: median ${wall[2].toFixed(0)} ms ` +
      `(shortcut event → search box focused ${inApp[2]} ms), all ${wall.map((w) => w.toFixed(0)).join(", ")} ms`,
  );
  assert.ok(wall[2] < 1000, `shortcut → ready took ${wall[2]} ms`);
});

test("a second launch hands over to the running copy and leaves one process", async () => {
  const before = appsUsing(session.vaultPath);
  assert.equal(before.length, 1, `running: ${before}`);
  const second = spawn(app, [], { env: { ...process.env, TESSERA_VAULT: session.vaultPath }, stdio: "ignore" });
  const code = await Promise.race([
    new Promise((r) => second.once("exit", (c) => r(c))),
    sleep(15_000).then(() => "still running"),
  ]);
  if (code === "still running") second.kill("SIGKILL");
  assert.equal(code, 0, "the second launch ends by itself");
  assert.deepEqual(appsUsing(session.vaultPath), before);
});
