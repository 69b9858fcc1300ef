// End-to-end: a screenshot of a QR code on the X clipboard (put there by xclip, as a screenshot tool
// would), pasted with Ctrl+V on the Add screen. WebKitGTK hands the page no image data for it, so the
// app reads the picture in Rust; the review form must show the account from the code (issue 16 item 2).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import QRCode from "qrcode";
import { launchApp } from "./harness.mjs";

/** Owns the X clipboard with the PNG until killed (xclip stays to answer paste requests). */
function pictureOnClipboard(png) {
  return spawn("xclip", ["-selection", "clipboard", "-t", "image/png", "-i", png], { stdio: "ignore" });
}

test("a screenshot pasted with Ctrl+V on the Add screen becomes a reviewed account", async () => {
  const session = await launchApp({ tag: "paste" });
  const { browser, $ } = session;
  const png = path.join(session.work, "screenshot.png");
  await QRCode.toFile(png, "otpauth://totp/Rota%20Portal:dr.jones?secret=GEZDGNBVGY3TQOJQ&issuer=Rota%20Portal", { width: 360 });
  const xclip = pictureOnClipboard(png);
  try {
    await browser.setWindowSize(900, 680).catch(() => {});
    await $("#create-vault").waitForDisplayed({ timeout: 30_000 });
    await $("#create-vault").click();
    await $("#nav-add").waitForDisplayed({ timeout: 20_000 });
    await $("#nav-add").click();
    await $("#open-image").waitForDisplayed({ timeout: 10_000 });
    await browser.keys(["Control", "v"]);
    await $("#review-title").waitForDisplayed({ timeout: 15_000 });
    assert.equal(await $("#review-issuer-0").getValue(), "Rota Portal");
    assert.equal(await $("#review-account-0").getValue(), "dr.jones");
    await browser.pause(400);
    await session.shot("01-review-from-paste");
  } finally {
    xclip.kill();
    await session.close();
  }
});
