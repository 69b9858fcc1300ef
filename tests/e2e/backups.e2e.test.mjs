// End-to-end: automatic backups in the real app (issue 15). The codes screen warns while backups are
// off; Settings → Backups turns them on (typed folder path: WebDriver cannot drive the native folder
// picker) with the default Argon2id cost; adding an account writes a new verified backup that the CLI
// opens with the password alone; "Test a restore" matches the vault; an unplugged folder is a banner.
// Screenshots in light and dark, 900 and 360 px wide, go to e2e-artifacts/ (backups-*.png).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { launchApp, root } from "./harness.mjs";

const PW = "plinth mango ferry cobalt";
const KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const KEY2 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const cli = path.join(root, "target/debug/tessera");

let session;
let browser;
let work;
let folder;
const $ = (sel) => browser.$(sel);
const shot = (name) => session.shot(name);

function backups() {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((n) => /^tessera-backup-\d{8}-\d{6}(-\d+)?\.tessera$/.test(n))
    .sort();
}

function runCli(args, env = {}) {
  const r = spawnSync(cli, args, {
    encoding: "utf8",
    env: { ...process.env, TESSERA_VAULT: session.vaultPath, ...env },
    timeout: 60_000,
  });
  assert.equal(r.status, 0, `tessera ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

async function addByKey(issuer, account, secret, env, note = "") {
  await $("#nav-add").click();
  await $("#way-manual").click();
  await $("#manual-issuer").setValue(issuer);
  await $("#manual-account").setValue(account);
  await $("#manual-secret").setValue(secret);
  await $("#manual-continue").waitForEnabled({ timeout: 10_000 });
  await $("#manual-continue").click();
  await $("#review-title").waitForDisplayed({ timeout: 10_000 });
  await $(`#review-env-0-${env}`).click();
  if (note) await $("#review-note-0").setValue(note);
  await $("#review-save").click();
  await $(".row-button").waitForDisplayed({ timeout: 10_000 });
}

async function openBackups() {
  await $("#nav-settings").click();
  await $("#backups-title").waitForDisplayed({ timeout: 10_000 });
  await $("#backup-state").waitForDisplayed({ timeout: 10_000 });
}

/** Scrolls the Backups card into view (for the screenshot) and checks nothing overflows sideways. */
async function showCard() {
  await browser.execute(() => document.getElementById("backups")?.scrollIntoView({ block: "start" }));
  await browser.pause(200);
  const overflow = await browser.execute(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow} px)`);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core (WCAG 2.2 A and AA rules) on one element: its serious and critical violations. */
async function axe(selector) {
  if (!(await browser.execute(() => typeof window.axe !== "undefined"))) {
    await browser.execute(`${axeSource}; return true;`);
  }
  return browser.executeAsync((sel, done) => {
    window.axe
      .run(document.querySelector(sel), {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
      })
      .then(
        (r) =>
          done(
            r.violations
              .filter((v) => v.impact === "serious" || v.impact === "critical")
              .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
          ),
        (e) => done([`axe failed: ${e}`]),
      );
  }, selector);
}

async function assertAccessible(selector, what) {
  const found = await axe(selector);
  console.log(`# axe ${what}: ${found.length} serious/critical`);
  assert.deepEqual(found, [], `${what}: ${found.join("; ")}`);
}

async function codes() {
  await $("#nav-codes").click();
  await $("#search").waitForDisplayed({ timeout: 10_000 });
  await browser.pause(300);
}

before(async () => {
  session = await launchApp({ tag: "backups" });
  browser = session.browser;
  work = session.work;
  folder = path.join(work, "Nextcloud", "Tessera");
  await browser.setWindowSize(900, 680).catch(() => {});
  await $("#create-vault").waitForDisplayed({ timeout: 30_000 });
  await $("#create-vault").click();
  await $("#empty-add").waitForDisplayed({ timeout: 20_000 });
});

after(async () => {
  await session?.close();
});

test("turn backups on in Settings, add accounts, restore the newest backup into a fresh vault with every account, environment, note and recovery code", async () => {
  // Off and never backed up: the codes screen says so.
  await $("#backup-banner").waitForDisplayed({ timeout: 10_000 });
  assert.match(await $("#backup-banner").getText(), /Automatic backups are off/);
  await shot("01-codes-off-light-900");
  await assertAccessible("#backup-banner", "banner (off), light");

  await $("#backup-banner-open").click();
  await $("#backup-on-form").waitForDisplayed({ timeout: 10_000 });
  // The banner's button lands on the Backups heading; type only once focus has settled there.
  await browser.waitUntil(() => browser.execute(() => document.activeElement?.id === "backups-title"), { timeout: 5_000 });
  await $("#backup-folder").setValue(folder);
  assert.equal(await $("#backup-folder").getValue(), folder);
  await $("#backup-keep").setValue("5");
  await $("#backup-password").setValue(PW);
  await $("#backup-confirm").setValue(PW);
  await $("#backup-strength*=Strong enough").waitForDisplayed({ timeout: 5_000 });
  await showCard();
  await shot("01b-settings-turn-on-light-900");
  await assertAccessible("#backups", "Backups card (turn-on form), light");
  let t0 = Date.now();
  await $("#backup-on").click();
  await $("#backup-message").waitForDisplayed({ timeout: 60_000 });
  console.log(`# automatic backups on (key derived with the default Argon2id cost) in ${Date.now() - t0} ms`);
  assert.match(await $("#backup-headline").getText(), /Automatic backups are on.*newest 5 kept/);
  assert.match(await $("#backup-status").getText(), /^Last verified backup \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} — 0 accounts — /);
  assert.equal(backups().length, 1, "the first backup is written at once");
  await showCard();
  await shot("02-settings-on-light-900");

  // A change writes a new verified backup, without asking for the password.
  const before = backups();
  t0 = Date.now();
  await addByKey("NHS Spine", "alice@nhs.net", KEY, "live");
  await addByKey("NHS Spine", "alice@nhs.net", KEY2, "sandpit", "training ward only");
  console.log(`# two accounts added with automatic backups on in ${Date.now() - t0} ms (UI included)`);
  const added = backups().filter((n) => !before.includes(n));
  assert.equal(added.length, 2, JSON.stringify(backups()));
  await openBackups();
  assert.match(await $("#backup-status").getText(), /— 2 accounts — /);
  assert.ok((await $("#backup-status").getText()).includes(folder));

  // The CLI agrees, and the newest file opens with the password alone, environments included.
  const status = JSON.parse(runCli(["backup", "status", "--json"]));
  assert.equal(status.enabled, true);
  assert.equal(status.accounts, 2);
  assert.equal(status.last_error, null);
  assert.equal(path.basename(status.last_file), added.at(-1));
  const listed = runCli(["import", path.join(folder, added.at(-1)), "--dry-run", "--json"], { TESSERA_FILE_PASSWORD: PW })
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.equal(listed.length, 2, JSON.stringify(listed));
  assert.deepEqual(listed.map((l) => l.environment).sort(), ["live", "sandpit"]);
  assert.ok(listed.every((l) => l.issuer === "NHS Spine"));

  // Test a restore: the newest backup matches the vault; the reminder goes.
  assert.ok(await $("#restore-reminder").isDisplayed(), "never tested: reminded");
  await $("#backup-test-open").click();
  await $("#restore-password").setValue(PW);
  t0 = Date.now();
  await $("#restore-test-btn").click();
  await $("#restore-result").waitForDisplayed({ timeout: 60_000 });
  console.log(`# restore test (key derivation included) in ${Date.now() - t0} ms`);
  assert.match(await $("#restore-result").getText(), /matches the vault: 2 accounts would come back/);
  assert.equal(await $("#restore-reminder").isExisting(), false);
  await showCard();
  await shot("03-settings-restore-tested-light-900");
  await assertAccessible("#backups", "Backups card (restore tested), light");
  // Recovery codes stored on the same vault (here by the CLI, whose save writes a backup too), then
  // the newest backup restored into a fresh vault on "a new laptop": every account, environment, note
  // and recovery code is back.
  runCli(["recovery", "add", "NHS Spine", "--env", "live", "--codes", "1. 3f9a-7c21\n2. 88b0-4e6d\n3. c2d4-19ab"]);
  const newest = backups().at(-1);
  assert.notEqual(newest, added.at(-1), "storing recovery codes wrote a new backup");
  const fresh = path.join(work, "new-laptop", "vault.tessera");
  mkdirSync(path.dirname(fresh), { recursive: true });
  const onFresh = { TESSERA_VAULT: fresh, TESSERA_PASSWORD: "a new laptop's vault password", TESSERA_NEW_PASSWORD: "a new laptop's vault password" };
  runCli(["init", "--no-keychain", "--kdf-memory-kib", "64", "--kdf-passes", "1"], onFresh);
  runCli(["import", path.join(folder, newest)], { ...onFresh, TESSERA_FILE_PASSWORD: PW });
  const restored = runCli(["list", "--json"], onFresh)
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    restored.map((a) => [a.issuer, a.account, a.environment, a.note ?? "", a.recovery_codes?.total ?? 0]).sort(),
    [
      ["NHS Spine", "alice@nhs.net", "live", "", 3],
      ["NHS Spine", "alice@nhs.net", "sandpit", "training ward only", 0],
    ],
  );
});

test("light and dark, 900 and 360 px", async () => {
  const narrow = await browser.setWindowSize(360, 740).then(() => true, () => false);
  if (narrow) {
    await browser.pause(400);
    await openBackups();
    await showCard();
    await shot("04-settings-light-360");
    await codes();
    await shot("05-codes-light-360");
    await browser.setWindowSize(900, 680).catch(() => {});
  }
  await $("#nav-settings").click();
  await $("#theme-dark").click();
  await $("#settings-save").click();
  await openBackups();
  await showCard();
  await shot("06-settings-dark-900");
  await assertAccessible("#backups", "Backups card (on), dark");
  await codes();
  await shot("07-codes-dark-900");
  if (narrow) {
    await browser.setWindowSize(360, 740).catch(() => {});
    await browser.pause(400);
    await openBackups();
    await showCard();
    await shot("08-settings-dark-360");
    await browser.setWindowSize(900, 680).catch(() => {});
  }
});

test("an unplugged backup folder: the change is kept, the codes screen says the backup failed", async () => {
  const away = `${folder}-unplugged`;
  renameSync(folder, away);
  try {
    await addByKey("Rota Portal", "dr.jones", KEY, "none");
    await codes();
    await $("#backup-banner").waitForDisplayed({ timeout: 10_000 });
    assert.match(await $("#backup-banner").getText(), /The last automatic backup failed: the backup folder .* does not exist/);
    assert.equal((await browser.$$(".row-button")).length, 3, "the account was added all the same");
    await shot("09-codes-failed-dark-900");
    await assertAccessible("#backup-banner", "banner (failed), dark");
    const narrow = await browser.setWindowSize(360, 740).then(() => true, () => false);
    if (narrow) {
      await browser.pause(400);
      await shot("10-codes-failed-dark-360");
      await browser.setWindowSize(900, 680).catch(() => {});
    }
    await $("#backup-banner-dismiss").click();
    assert.equal(await $("#backup-banner").isExisting(), false);
  } finally {
    renameSync(away, folder);
  }
  // Plugged back in: Back up now works again.
  await openBackups();
  await $("#backup-now").click();
  await $("#backup-message*=Backup written and checked").waitForDisplayed({ timeout: 20_000 });
  assert.match(await $("#backup-status").getText(), /— 3 accounts — /);
});
