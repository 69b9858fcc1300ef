// End-to-end for issue 8: the real app with its own vault, a clock check against an NTP responder this
// test runs on 127.0.0.1 (47 s ahead of this machine, so the app sees a clock 47 s behind; no outside
// network), recovery codes (add, reveal, mark one used, the count drops) and replacing a key (both codes,
// then confirm). Run like app.e2e.test.mjs (scripts/test-all.sh).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import dgram from "node:dgram";
import { launchApp } from "./harness.mjs";
import { totp } from "./totp.mjs";

const OLD_KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const NEW_KEY = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const SHIFT_S = 47;
const BLOCK = "Backup codes for NHS Mail:\n1. 1234 5678\n2. 2345 6789\n3. 3456 7890\n4. 4567 8901\n5. 5678 9012\n" +
  "6. 6789 0123\n7. 7890 1234\n8. 8901 2345\n9. 9012 3456\n10. 0123 4567\n";

let session;
let browser;
let ntp;
let ntpQueries = 0;
const $ = (sel) => browser.$(sel);

/** A minimal SNTP server (RFC 4330) whose clock runs SHIFT_S seconds ahead of this machine's. */
function startNtp() {
  const socket = dgram.createSocket("udp4");
  const NTP_UNIX = 2_208_988_800n;
  const stamp = (buf, at) => {
    const ns = BigInt(Date.now()) * 1_000_000n + BigInt(SHIFT_S) * 1_000_000_000n;
    const secs = ns / 1_000_000_000n + NTP_UNIX;
    const frac = ((ns % 1_000_000_000n) << 32n) / 1_000_000_000n;
    buf.writeUInt32BE(Number(secs), at);
    buf.writeUInt32BE(Number(frac), at + 4);
  };
  socket.on("message", (msg, rinfo) => {
    if (msg.length < 48) return;
    ntpQueries++;
    const reply = Buffer.alloc(48);
    reply[0] = (0 << 6) | (4 << 3) | 4; // no leap warning, version 4, server mode
    reply[1] = 2; // stratum
    reply[3] = 0xec; // precision 2^-20
    reply.write("LOCL", 12, "ascii");
    stamp(reply, 16); // reference
    msg.copy(reply, 24, 40, 48); // origin = the client's transmit timestamp
    stamp(reply, 32); // receive
    stamp(reply, 40); // transmit
    socket.send(reply, rinfo.port, rinfo.address);
  });
  return new Promise((resolve) => socket.bind(0, "127.0.0.1", () => resolve(socket)));
}

const shot = (name) => session.shot(name);

/** The codes of `secret` around the corrected time (now + 47 s), allowing for a step boundary. */
function correctedCodes(secret) {
  const t = Date.now() / 1000 + SHIFT_S;
  return [t - 2, t, t + 2].map((x) => totp(secret, x));
}

/** Sets a textarea's or input's value the way typing does (newlines included). */
async function typeInto(selector, text) {
  await browser.execute(
    (sel, value) => {
      const el = document.querySelector(sel);
      el.value = value;
      el.dispatchEvent(new Event("input", { bubbles: true }));
    },
    selector,
    text,
  );
}

async function textOf(selector) {
  return (await $(selector).getText()).replace(/\s+/g, " ").trim();
}

before(async () => {
  ntp = await startNtp();
  session = await launchApp({
    tag: "i8",
    env: {
      // Only the responder above is asked: never a real NTP server.
      TESSERA_CLOCK_NETWORK: "1",
      TESSERA_NTP_SERVERS: `127.0.0.1:${ntp.address().port}`,
    },
  });
  browser = session.browser;
  await $("#create-vault").waitForDisplayed({ timeout: 30_000 });
  await browser.setWindowSize(900, 800).catch(() => {});
});

after(async () => {
  await session?.close();
  ntp?.close();
});

test("after unlock the clock is checked against the local time server; codes are corrected on request", async () => {
  await $("#create-vault").click();
  await $("#empty-add").waitForDisplayed({ timeout: 20_000 });
  await $("#nav-add").click();
  await $("#way-manual").click();
  await $("#manual-issuer").setValue("NHS Mail");
  await $("#manual-account").setValue("alice@nhs.net");
  await $("#manual-secret").setValue(OLD_KEY);
  await $("p.ok*=Key looks right").waitForDisplayed({ timeout: 10_000 });
  await $("#manual-continue").waitForEnabled({ timeout: 5_000 });
  await $("#manual-continue").click();
  await $("#review-title").waitForDisplayed({ timeout: 10_000 });
  await $("#review-save").click();
  await $(".row-button").waitForDisplayed({ timeout: 10_000 });

  const shown = Date.now();
  await $("#clock-banner").waitForDisplayed({ timeout: 15_000 });
  console.log(`# clock banner visible ${Date.now() - shown} ms after the codes screen (check ran in the background since unlock)`);
  assert.ok(ntpQueries >= 1, "the app asked the local responder");
  const banner = await textOf("#clock-banner");
  assert.match(banner, /Your computer's clock is 47 s behind/);
  assert.match(banner, /rejected|reject it/, "says why codes may be rejected");
  await shot("01-clock-banner");

  await $("#clock-correct").click();
  await $("#clock-correction").waitForDisplayed({ timeout: 5_000 });
  assert.match(await textOf("#clock-correction"), /Codes corrected by \+47 s/);
  assert.equal(await $("#clock-banner").isExisting(), false, "the banner gives way to the correction note");
  await browser.waitUntil(
    async () => correctedCodes(OLD_KEY).includes(await $(".row-button .code").getAttribute("data-code")),
    { timeout: 5_000, timeoutMsg: "the shown code is the code for now + 47 s" },
  );
  await shot("02-codes-corrected");
});

test("recovery codes: paste, count, reveal, mark one used, the count drops", async () => {
  await $("#nav-manage").click();
  await $("button[id^='details-']").click();
  await $("#recovery-add").waitForDisplayed({ timeout: 5_000 });
  assert.match(await textOf("#recovery-count"), /No recovery codes stored/);
  await $("#recovery-add").click();
  await typeInto("#recovery-paste", BLOCK);
  await $("#recovery-parsed p.ok").waitForDisplayed({ timeout: 5_000 });
  assert.match(await textOf("#recovery-parsed"), /10 codes recognised/);
  assert.match(await textOf("#recovery-parsed"), /Skipped \(not codes\): Backup codes for NHS Mail:/);
  await $("#recovery-save").click();
  await browser.waitUntil(async () => (await textOf("#recovery-count")) === "10 of 10 left", { timeout: 5_000 });
  // Hidden until asked for.
  assert.equal(await $("ol.recovery-list").isExisting(), false);
  const page = await browser.execute(() => document.body.innerText);
  assert.ok(!page.includes("1234 5678"), "no code on the page before reveal");

  await $("#recovery-reveal").click();
  await $("ol.recovery-list").waitForDisplayed({ timeout: 10_000 });
  const shown = await browser.execute(() => Array.from(document.querySelectorAll("ol.recovery-list [data-code]")).map((e) => e.getAttribute("data-code")));
  assert.equal(shown.length, 10);
  assert.equal(shown[0], "1234 5678");
  await shot("03-recovery-revealed");

  await $("#recovery-mark-1").click();
  await browser.waitUntil(async () => (await textOf("#recovery-count")) === "9 of 10 left", { timeout: 5_000 });
  const first = await $("ol.recovery-list li:first-child");
  assert.equal(await first.$("s").getText(), "1234 5678", "the used code is struck through");
  assert.match(await first.getText(), /used \d{1,2} \w{3} \d{4}/, "with the date in words");
  await shot("04-recovery-used");
  await $("#recovery-hide").click();
  assert.equal(await $("ol.recovery-list").isExisting(), false);
});

test("replace key: both codes, the old one marked previous key, then confirm", async () => {
  await $("#replace-key").click();
  await $("#replace-manual").click();
  assert.equal(await $("#manual-issuer").getValue(), "NHS Mail", "the account's names are filled in");
  await $("#manual-secret").setValue(NEW_KEY);
  await $("p.ok*=Key looks right").waitForDisplayed({ timeout: 10_000 });
  await $("#manual-continue").waitForEnabled({ timeout: 5_000 });
  await $("#manual-continue").click();
  await $("#replace-go").waitForDisplayed({ timeout: 5_000 });
  await $("#replace-go").click();
  await $("#previous-key-code").waitForDisplayed({ timeout: 10_000 });
  await browser.waitUntil(async () => (await $("#previous-key-code").getAttribute("data-code")) !== "", { timeout: 5_000 });
  assert.ok(correctedCodes(NEW_KEY).includes(await $("#new-key-code").getAttribute("data-code")), "new key's code (corrected)");
  assert.ok(correctedCodes(OLD_KEY).includes(await $("#previous-key-code").getAttribute("data-code")), "previous key's code");
  assert.match(await textOf("#key-changed"), /^Key changed \d{1,2} \w{3} \d{4}$/);
  await shot("05-replace-both-codes");

  // The codes screen shows it too, in words.
  await $(".brand").click();
  await $(".previous-key").waitForDisplayed({ timeout: 5_000 });
  assert.match(await $(".previous-key").getText(), /^previous key \d{3} \d{3}$/);
  await shot("06-codes-previous-key");

  await $("#nav-manage").click();
  await $("button[id^='details-']").click();
  await $("#confirm-key").waitForDisplayed({ timeout: 5_000 });
  await $("#confirm-key").click();
  await browser.waitUntil(async () => !(await $("#previous-key-code").isExisting()), { timeout: 5_000 });
  assert.match(await textOf(".account-details p.ok"), /previous key is in the trash/);
  assert.match(await textOf("#recovery-count"), /9 of 10 left/, "recovery codes stay with the account");
  await $(".brand").click();
  await browser.waitUntil(
    async () => correctedCodes(NEW_KEY).includes(await $(".row-button .code").getAttribute("data-code")),
    { timeout: 5_000, timeoutMsg: "the codes screen shows the new key's code" },
  );
  assert.equal(await $(".previous-key").isExisting(), false);
  await shot("07-after-confirm");
});

test("Settings → Clock shows the last measurement and checks again on demand", async () => {
  await $("#nav-settings").click();
  await $("#clock-last").waitForDisplayed({ timeout: 5_000 });
  assert.match(await textOf("#clock-last"), /Last measured: clock 47 s behind \(\+47 s\), .* from 1 of 1 time server\./);
  assert.equal(await $("#clock-correct-toggle").isSelected(), true);
  const before = ntpQueries;
  await $("#clock-check-now").click();
  await $("#clock-check-result").waitForDisplayed({ timeout: 10_000 });
  assert.match(await textOf("#clock-check-result"), /This computer's clock is 47\.0 s behind \(median of 1 of 1 time server\)/);
  assert.equal(ntpQueries, before + 1);
  await shot("08-settings-clock");
});
