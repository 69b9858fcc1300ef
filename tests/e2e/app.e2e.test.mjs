// End-to-end: the real app (target/debug/tessera-app) in a real WebKitGTK window, driven through
// tauri-driver + WebKitWebDriver. Run under Xvfb with a session bus and an unlocked gnome-keyring
// (scripts/test-all.sh does this). Screenshots go to e2e-artifacts/ (gitignored).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import QRCode from "qrcode";
import { app, launchApp } from "./harness.mjs";
import { totp } from "./totp.mjs";

const LIVE_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const SANDPIT_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const QR_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU";

let session;
let browser;

const shot = (name) => session.shot(name);

/** What the codes screen shows, row by row. */
async function shownRows() {
  return browser.execute(() =>
    Array.from(document.querySelectorAll(".row-button")).map((b) => ({
      // The row's accessible name (from its screen-reader words, see CodeRow.svelte).
      label: b.querySelector(".row-name")?.textContent ?? b.getAttribute("aria-label"),
      issuer: b.querySelector(".issuer")?.textContent?.trim(),
      account: b.querySelector(".account")?.textContent?.trim(),
      badge: b.querySelector(".env")?.textContent?.replace(/\s+/g, " ").trim() ?? "",
      code: b.querySelector(".code")?.getAttribute("data-code"),
      text: b.querySelector(".code")?.textContent,
    })),
  );
}

/** The code must be the TOTP of now (or of the step just before/after, when read at a boundary). */
function assertTotp(shown, secret, what) {
  const now = Date.now() / 1000;
  const allowed = [now - 2, now, now + 2].map((t) => totp(secret, t));
  assert.ok(allowed.includes(shown), `${what}: app shows ${shown}, independent TOTP says ${allowed[1]}`);
}

function readClipboard() {
  const x = spawnSync("xclip", ["-selection", "clipboard", "-o"], { encoding: "utf8", timeout: 10_000 });
  if (!x.error) return x.status === 0 ? x.stdout : "";
  const r = spawnSync(
    "python3",
    ["-c", "import tkinter\nr=tkinter.Tk()\nr.withdraw()\ntry:\n print(r.clipboard_get(),end='')\nexcept Exception:\n pass"],
    { encoding: "utf8", timeout: 10_000 },
  );
  return r.stdout;
}

async function addByKey({ issuer, account, secret, env }) {
  await $("#nav-add").click();
  await $("#way-manual").click();
  await $("#manual-issuer").setValue(issuer);
  await $("#manual-account").setValue(account);
  await $("#manual-secret").setValue(secret);
  await $("p.ok*=Key looks right").waitForDisplayed({ timeout: 10_000 });
  await $("#manual-continue").waitForEnabled({ timeout: 5_000 });
  await $("#manual-continue").click();
  await $("#review-title").waitForDisplayed({ timeout: 10_000 });
  await $(`#review-env-0-${env}`).click();
}

const $ = (sel) => browser.$(sel);

/** PSS of the app and every process it started (WebKit's web and network processes), in MiB. */
function appMemoryMiB() {
  const procs = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  const parent = new Map();
  let appPid = null;
  for (const pid of procs) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      parent.set(pid, stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith(app)) appPid = pid;
    } catch {}
  }
  if (!appPid) return null;
  const isOurs = (pid) => {
    for (let p = pid; p && p !== "0" && p !== "1"; p = parent.get(p)) if (p === appPid) return true;
    return false;
  };
  let kib = 0;
  for (const pid of procs.filter(isOurs)) {
    try {
      const m = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").match(/^Pss:\s+(\d+) kB/m);
      if (m) kib += Number(m[1]);
    } catch {}
  }
  return Math.round(kib / 1024);
}

before(async () => {
  const started = Date.now();
  session = await launchApp({ tag: "app", env: { TESSERA_MOCK_CAMERA: "1" } });
  browser = session.browser;
  await $("#create-vault").waitForDisplayed({ timeout: 30_000 });
  console.log(`# first screen after ${Date.now() - started} ms`);
});

after(async () => {
  await session?.close();
});

test("first run creates a keychain vault", async () => {
  await browser.setWindowSize(900, 680).catch(() => {});
  await shot("01-first-run");
  await $("#create-vault").click();
  await $("#empty-add").waitForDisplayed({ timeout: 20_000 });
  await shot("02-empty-vault");
});

test("Live and Sandpit accounts for the same issuer, added by key, show the right codes", async () => {
  await addByKey({ issuer: "NHS Spine", account: "alice@nhs.net", secret: LIVE_SECRET, env: "live" });
  await shot("03-review-form");
  await $("#review-save").click();
  await $(".row-button").waitForDisplayed({ timeout: 10_000 });

  await addByKey({ issuer: "NHS Spine", account: "alice@nhs.net", secret: SANDPIT_SECRET.toLowerCase().replace(/(.{4})/g, "$1 "), env: "sandpit" });
  // The same issuer and account exist: the form says so and asks for the environment.
  await $("p.warning*=You already have NHS Spine").waitForDisplayed({ timeout: 5_000 });
  await shot("04-review-twin-warning");
  await $("#review-save").click();
  await browser.waitUntil(async () => (await shownRows()).length === 2, { timeout: 10_000 });

  const rows = await shownRows();
  const liveRow = rows.find((r) => r.badge.includes("LIVE"));
  const sandpitRow = rows.find((r) => r.badge.includes("SANDPIT"));
  assert.ok(liveRow && sandpitRow, `both badges shown: ${JSON.stringify(rows)}`);
  assert.equal(liveRow.issuer, "NHS Spine");
  assert.equal(sandpitRow.account, "alice@nhs.net");
  assertTotp(liveRow.code, LIVE_SECRET, "Live");
  assertTotp(sandpitRow.code, SANDPIT_SECRET, "Sandpit");
  assert.notEqual(liveRow.code, sandpitRow.code);
  assert.match(liveRow.label, /^NHS Spine, Live environment, alice@nhs\.net, code \d \d \d, \d \d \d/);
  await shot("05-codes");
});

test("an account from a QR image file", async () => {
  const png = path.join(session.work, "qr.png");
  await QRCode.toFile(png, `otpauth://totp/Rota%20Portal:dr.jones?secret=${QR_SECRET}&issuer=Rota%20Portal`, { width: 360 });
  await $("#nav-add").click();
  await $("#open-image").waitForDisplayed();
  await shot("06-add-screen");
  const how = await session.giveFile("image-file", png);
  if (how !== "webdriver") console.log("# file input via WebDriver refused; the bytes were handed over like a drop");
  await $("#review-title").waitForDisplayed({ timeout: 15_000 });
  assert.equal(await $("#review-issuer-0").getValue(), "Rota Portal");
  assert.equal(await $("#review-account-0").getValue(), "dr.jones");
  const preview = await $("[data-preview]").getAttribute("data-preview");
  assertTotp(preview, QR_SECRET, "QR preview");
  await $("#review-save").click();
  await browser.waitUntil(async () => (await shownRows()).length === 3, { timeout: 10_000 });
  const qrRow = (await shownRows()).find((r) => r.issuer === "Rota Portal");
  assert.equal(qrRow.badge, "");
  assertTotp(qrRow.code, QR_SECRET, "QR account");
});

test("the camera view starts with a (mock) camera and sends frames without errors", async () => {
  await $("#nav-add").click();
  await $("#way-camera").click();
  await browser.pause(2_500);
  const problem = await $("#camera-problem").isExisting();
  const playing = await browser.execute(() => {
    const v = document.querySelector("video");
    return v ? v.videoWidth > 0 && !v.paused : false;
  });
  await shot("07-camera");
  assert.ok(playing || problem, "either the preview plays or the person is told why not");
  if (problem) console.log(`# camera: ${await $("#camera-problem").getText()}`);
  await $(".brand").click();
});

test("search, copy, and the clipboard is cleared afterwards", async () => {
  await $("#nav-settings").click();
  await $("#set-clipboard").setValue("3");
  await $("#settings-save").click();
  await $("p.ok=Settings saved.").waitForDisplayed({ timeout: 5_000 });
  await $(".brand").click();
  await $(".row-button").waitForDisplayed();

  await $("#search").setValue("sandpit");
  await browser.waitUntil(async () => (await shownRows()).length === 1, { timeout: 5_000 });
  await $("#search").clearValue();
  await $("#search").setValue("live");
  await browser.waitUntil(async () => (await shownRows()).length === 1, { timeout: 5_000 });
  const [live] = await shownRows();
  assert.ok(live.badge.includes("LIVE"));

  await $(".row-button").click();
  await $(".toast").waitForDisplayed({ timeout: 5_000 });
  assert.match(await $(".toast").getText(), /Copied the code for NHS Spine, alice@nhs\.net, Live environment\. The clipboard is cleared in 3 s\./);
  const copied = readClipboard();
  assert.match(copied, /^\d{6}$/, `clipboard holds the code without a space: ${JSON.stringify(copied)}`);
  assertTotp(copied, LIVE_SECRET, "copied code");
  await shot("08-copied");
  await browser.pause(4_000);
  assert.notEqual(readClipboard(), copied, "the clipboard was cleared");
  await $("#search").clearValue();
});

test("relaunch: a keychain vault opens by itself and shows codes (time to first code, memory)", async () => {
  const started = Date.now();
  await browser.reloadSession();
  await $(".row-button .code").waitForDisplayed({ timeout: 30_000 });
  console.log(`# cold start to first code (through WebDriver): ${Date.now() - started} ms`);
  await browser.pause(1_000);
  console.log(`# memory (PSS, app + WebKit processes, debug build): ${appMemoryMiB()} MiB`);
  assert.equal((await shownRows()).length, 3);
});

test("set an app password, lock, refuse a wrong password, unlock", async () => {
  await $("#nav-settings").click();
  await $("#pw-new").setValue("correct horse battery");
  await $("#pw-confirm").setValue("correct horse battery");
  await $("#pw-save").click();
  await $("p.ok=App password set.").waitForDisplayed({ timeout: 20_000 });
  await shot("09-settings");

  await $("#lock-btn").click();
  await $("#unlock-password").waitForDisplayed({ timeout: 10_000 });
  await shot("10-locked");
  await $("#unlock-password").setValue("wrong password!");
  await $("#unlock-btn").click();
  await $("p.error*=rong password").waitForDisplayed({ timeout: 20_000 });
  await $("#unlock-password").setValue("correct horse battery");
  await $("#unlock-btn").click();
  await browser.waitUntil(async () => (await shownRows()).length === 3, { timeout: 20_000 });
  const rows = await shownRows();
  assertTotp(rows.find((r) => r.badge.includes("SANDPIT")).code, SANDPIT_SECRET, "Sandpit after unlock");
});

test("narrow (360 px) and dark layouts", async () => {
  const resized = await browser.setWindowSize(360, 740).then(() => true, () => false);
  if (resized) {
    await browser.pause(500);
    await shot("11-narrow-360");
    const overflow = await browser.execute(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at 360 px (overflow ${overflow} px)`);
    await browser.setWindowSize(900, 680).catch(() => {});
  }
  await $("#nav-settings").click();
  await $("#theme-dark").click();
  await $("#settings-save").click();
  await $(".brand").click();
  await $(".row-button").waitForDisplayed();
  await browser.pause(300);
  await shot("12-codes-dark");
});
