// End-to-end: Import / Export in the real app (target/debug/tessera-app) under Xvfb, through tauri-driver.
// Exports a Tessera backup with the default (strong) Argon2id cost and sees it verified and recorded in
// Settings, then imports an otpauth link list and sees the accounts with their environments.
// Run like app.e2e.test.mjs (scripts/test-all.sh). Screenshots go to e2e-artifacts/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { launchApp } from "./harness.mjs";

let session;
let browser;
let work;
// Export's Save dialog is a native GTK window opened by Rust (review #20), which WebDriver cannot click.
// Debug builds answer it from TESSERA_TEST_SAVE_PATH instead (src-tauri/src/native_dialogs.rs): a folder,
// so the file gets the name the dialog offers.
const exportsDir = mkdtempSync(path.join(os.tmpdir(), "tessera-e2e-exports-"));
const $ = (sel) => browser.$(sel);
const shot = (name) => session.shot(name);
const giveFile = (inputId, file) => session.giveFile(inputId, file);

before(async () => {
  session = await launchApp({ tag: "transfer", env: { TESSERA_TEST_SAVE_PATH: exportsDir } });
  browser = session.browser;
  work = session.work;
  await browser.setWindowSize(1000, 760).catch(() => {});
  await $("#create-vault").waitForDisplayed({ timeout: 30_000 });
  await $("#create-vault").click();
  await $("#empty-add").waitForDisplayed({ timeout: 20_000 });
});

after(async () => {
  await session?.close();
});

test("import a link list, export a verified Tessera backup, see it in Settings", async () => {
  // Import: an otpauth link list with a Live and a Sandpit login for the same service, and a bad line.
  const links = path.join(work, "links.txt");
  writeFileSync(
    links,
    [
      "otpauth://totp/NHS%20Spine%20Live:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=NHS%20Spine%20Live",
      "otpauth://totp/NHS%20Spine%20Sandpit:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=NHS%20Spine%20Sandpit",
      "otpauth://totp/Broken?secret=not*base32",
      "",
    ].join("\n"),
  );
  await $("#nav-transfer").click();
  await $("#import-file").waitForExist({ timeout: 10_000 });
  let t0 = Date.now();
  await giveFile("import-file", links);
  await $("#import-table").waitForDisplayed({ timeout: 15_000 });
  console.log(`# link list preview shown after ${Date.now() - t0} ms`);
  const summary = await $("#import-summary").getText();
  assert.match(summary, /otpauth URI list: 2 accounts found, 1 cannot be imported/);
  const table = await $("#import-table").getText();
  assert.match(table, /LIVE/);
  assert.match(table, /SANDPIT/);
  assert.match(await $("#import-errors").getText(), /line 3|entry 3/);
  await shot("01-import-preview");
  await $("#import-confirm").click();
  await $("#import-result").waitForDisplayed({ timeout: 10_000 });
  assert.match(await $("#import-result").getText(), /Imported 2 accounts/);

  // The accounts are on the codes screen with their environments.
  await $(".brand").click();
  await browser.waitUntil(async () => (await browser.$$(".row-button")).length === 2, { timeout: 10_000 });
  const badges = await browser.execute(() =>
    Array.from(document.querySelectorAll(".row-button .env")).map((e) => e.textContent.replace(/\s+/g, " ").trim()),
  );
  assert.ok(badges.some((b) => b.includes("LIVE")) && badges.some((b) => b.includes("SANDPIT")), JSON.stringify(badges));

  // Export a Tessera backup with the default Argon2id cost: progress while the key is derived, then verified.
  await $("#nav-transfer").click();
  await $("#export-password").waitForDisplayed({ timeout: 10_000 });
  assert.equal(await $("#export-path").isExisting(), false, "the WebView has no say in where the file goes");
  await $("#export-password").setValue("plinth mango ferry cobalt");
  await $("#export-confirm").setValue("plinth mango ferry cobalt");
  await $("p.ok*=Strong enough").waitForDisplayed({ timeout: 5_000 });
  t0 = Date.now();
  await $("#export-btn").click();
  const sawProgress = await $("#export-progress")
    .waitForExist({ timeout: 3_000 })
    .then(() => true)
    .catch(() => false);
  if (sawProgress) await shot("02-export-progress");
  await $("#export-result").waitForDisplayed({ timeout: 60_000 });
  console.log(`# verified Tessera backup (Argon2id 256 MiB, 3 passes) written in ${Date.now() - t0} ms`);
  assert.ok(sawProgress, "a progress indicator was shown while the key was derived");
  assert.match(await $("#export-result").getText(), /Backup verified: 2 accounts/);
  // Saved under the name the Save dialog offered: dated, never an existing file's.
  const written = readdirSync(exportsDir);
  assert.equal(written.length, 1, JSON.stringify(written));
  assert.match(written[0], /^tessera-backup-\d{4}-\d{2}-\d{2}\.tessera$/);
  const out = path.join(exportsDir, written[0]);
  assert.ok(existsSync(out));
  assert.ok(readFileSync(out).subarray(0, 6).toString() === "TSRBAK");
  await shot("03-export-verified");

  // Settings shows it.
  await $("#nav-settings").click();
  await $("#last-backup").waitForDisplayed({ timeout: 5_000 });
  const line = await $("#last-backup").getText();
  assert.match(line, /^Last verified export: \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} — 2 accounts — /);
  assert.ok(line.endsWith(out), line);
  await shot("04-settings");

  // Restoring the backup into the same vault: both are duplicates, skipped by default; the key is derived again.
  await $("#nav-transfer").click();
  await giveFile("import-file", out);
  await $("#import-password").waitForDisplayed({ timeout: 10_000 });
  await $("#import-password").setValue("plinth mango ferry cobalt");
  t0 = Date.now();
  await $("#import-open").click();
  await $("#import-table").waitForDisplayed({ timeout: 60_000 });
  console.log(`# Tessera backup preview (key derivation included) after ${Date.now() - t0} ms`);
  assert.match(await $("#import-summary").getText(), /Tessera backup: 2 accounts found, 2 already in Tessera/);
  assert.equal(await $("#import-confirm").isEnabled(), false, "nothing to import while both are skipped");
  await $("#import-cancel").click();

  // An unencrypted export asks Rust's native "NOT encrypted" warning, which this run answers with
  // Cancel (no TESSERA_TEST_CONFIRM=yes): nothing is written and the screen shows no error.
  await $("#export-format").selectByAttribute("value", "uris");
  await $("#export-warning").waitForDisplayed({ timeout: 5_000 });
  await $("#export-btn").click();
  await browser.waitUntil(async () => await $("#export-btn").isEnabled(), { timeout: 10_000 });
  assert.equal(await $("#export-error").isExisting(), false);
  assert.equal(await $("#export-result").isExisting(), false);
  assert.deepEqual(readdirSync(exportsDir), [path.basename(out)], "no unencrypted file was written");
});
