// End-to-end: the organisation's policy (TESSERA_POLICY) in the real app. Settings shows the controls
// the policy fixes as "Set by your organisation" and lists unknown keys; Import / Export offers no
// unencrypted format; a broken policy file shows its sentence (file and line) instead of the codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { launchApp } from "./harness.mjs";

function policyFile(text) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tessera-e2e-policy-"));
  const file = path.join(dir, "policy.toml");
  writeFileSync(file, text);
  return file;
}

test("a ward-PC policy fixes settings and refuses unencrypted exports", async () => {
  const policy = policyFile(
    "allow_plain_export = false\nmax_auto_lock_minutes = 2\nnetwork_clock_check = false\ncolour = \"teal\"\n",
  );
  const session = await launchApp({ tag: "policy", env: { TESSERA_POLICY: policy } });
  const { browser, $ } = session;
  try {
    await browser.setWindowSize(900, 680).catch(() => {});
    await $("#create-vault").waitForDisplayed({ timeout: 30_000 });
    await $("#create-vault").click();
    await $("#nav-settings").waitForDisplayed({ timeout: 20_000 });
    await $("#nav-settings").click();
    await $("#org-policy").waitForDisplayed({ timeout: 10_000 });
    assert.match(await $("#org-policy").getText(), new RegExp(policy.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    assert.match(await $("#org-policy").getText(), /colour/, "the unknown key is listed");
    const lock = await $("[data-policy-key=max_auto_lock_minutes]").getText();
    assert.match(lock, /Set by your organisation: at most 2 minutes/);
    assert.equal(await $("#set-autolock").getAttribute("max"), "2");
    assert.equal(await $("#clock-network").isEnabled(), false, "the network clock check is fixed");
    assert.match(await $("[data-policy-key=network_clock_check]").getText(), /Set by your organisation/);
    await session.shot("01-settings");

    await $("#nav-transfer").click();
    const uris = await $("option[value=uris]");
    await uris.waitForExist({ timeout: 10_000 });
    assert.equal(await uris.isEnabled(), false, "no unencrypted export offered");
    assert.match(await $("[data-policy-key=allow_plain_export]").getText(), /Set by your organisation/);
    await session.shot("02-export");
  } finally {
    await session.close();
  }
});

test("a broken policy file shows its sentence instead of the codes", async () => {
  const policy = policyFile("require_password = true\nmax_clipboard_seconds = \"soon\"\n");
  const session = await launchApp({ tag: "policy-broken", env: { TESSERA_POLICY: policy } });
  const { $ } = session;
  try {
    await $("#policy-error").waitForDisplayed({ timeout: 30_000 });
    const text = await $("#policy-error").getText();
    assert.ok(text.includes(policy), text);
    assert.match(text, /line 2/);
    assert.equal(await $("#create-vault").isExisting(), false, "no way past a broken policy");
    await session.shot("03-broken");
  } finally {
    await session.close();
  }
});
