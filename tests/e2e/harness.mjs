// What every end-to-end file needs: start the real app (target/debug/tessera-app) with its own vault
// through tauri-driver + WebKitWebDriver, drive it, take screenshots, and stop it without leaving a
// process behind. A leftover app keeps the test runner's output pipe open, and the runner then waits
// for it forever, so `close()` makes sure every app this file started is gone.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const app = path.join(root, "target/debug/tessera-app");
export const shotsDir = process.env.TESSERA_E2E_SHOTS ?? path.join(root, "e2e-artifacts");

/** A TCP port nobody listens on now (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function waitForPort(port, ms = 20_000) {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve()));
      s.once("error", () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`tauri-driver did not listen on ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** Process ids of the apps started with this vault (their environment names it). */
export function appsUsing(vaultPath) {
  const found = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith(app)) continue;
      const env = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      if (env.includes(`TESSERA_VAULT=${vaultPath}`)) found.push(Number(pid));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

const IMAGE_TYPES = { ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif" };

/**
 * Hands a file to an <input type=file>: through WebDriver, or like a drop when the driver cannot
 * (WebKitWebDriver refuses visually hidden file inputs). Returns how it was handed over.
 */
async function giveFile(browser, inputId, file) {
  try {
    await browser.$(`#${inputId}`).setValue(file);
    return "webdriver";
  } catch {
    const b64 = readFileSync(file).toString("base64");
    await browser.execute(
      (id, data, name, type) => {
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], name, { type }));
        const el = document.getElementById(id);
        el.files = dt.files;
        el.dispatchEvent(new Event("change", { bubbles: true }));
      },
      inputId,
      b64,
      path.basename(file),
      IMAGE_TYPES[path.extname(file).toLowerCase()] ?? "",
    );
    return "drop";
  }
}

function signal(pids, sig) {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Starts tauri-driver and a WebDriver session on the app with a fresh vault in a temporary folder.
 * `env` adds variables for the app; `tag` prefixes screenshots and names the temporary folder;
 * `prepare({ work, vaultPath })` runs before the app starts (e.g. a vault made with the CLI).
 */
export async function launchApp({ tag, env = {}, prepare }) {
  mkdirSync(shotsDir, { recursive: true });
  const work = mkdtempSync(path.join(os.tmpdir(), `tessera-e2e-${tag}-`));
  const vaultPath = path.join(work, "vault.tessera");
  if (prepare) await prepare({ work, vaultPath });
  // Ports the OS says are free right now (a random pick once collided with the native port a previous
  // test's WebKitWebDriver still held: the session POST then went to a process on its way out).
  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();
  const driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
    stdio: ["ignore", "inherit", "inherit"],
    // WebDriver screenshots hang (UND_ERR_HEADERS_TIMEOUT) when the main window runs without WebKit's
    // compositing under Xvfb (desktop/render.rs turns it off: the start-up and memory win measured by
    // scripts/bench-app.sh). The end-to-end run keeps WebKit's default so every screen can be captured.
    // This computer's record of vault generations (review #28) stays in the run's folder.
    env: { ...process.env, TESSERA_VAULT: vaultPath, TESSERA_STATE_DIR: path.join(work, "seen"), TESSERA_WEBKIT_COMPOSITING: "1", ...env },
  });
  await waitForPort(port);
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "warn",
    capabilities: { "tauri:options": { application: app }, "wdio:enforceWebDriverClassic": true },
  });
  const session = {
    browser,
    work,
    vaultPath,
    $: (sel) => browser.$(sel),
    shot: (name) => browser.saveScreenshot(path.join(shotsDir, `${tag}-${name}.png`)),
    giveFile: (inputId, file) => giveFile(browser, inputId, file),
    async close() {
      await browser.deleteSession().catch(() => {});
      driver.kill();
      // WebKitWebDriver may not have closed the window before tauri-driver went: end what is left.
      for (let i = 0; i < 50 && appsUsing(vaultPath).length; i++) {
        if (i === 10) signal(appsUsing(vaultPath), "SIGTERM");
        if (i === 30) signal(appsUsing(vaultPath), "SIGKILL");
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
  return session;
}
