import { cleanup, fireEvent, render, screen, within } from "@testing-library/svelte";
import { computeAccessibleName } from "dom-accessibility-api";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import Codes from "../screens/Codes.svelte";
import Manage from "../screens/Manage.svelte";
import AccountDetails from "../components/AccountDetails.svelte";
import ClockSettingsCard from "../components/ClockSettingsCard.svelte";
import { DEFAULT_SETTINGS, type AccountDetails as Details, type ClockStatus, type RecoveryInfo, type RevealedCodes } from "../lib/api";
import { clockWatch, formatOffsetSize, formatSignedOffset } from "../lib/clock.svelte";
import { live, mockApi, plain, sandpit, snapshot } from "./fixtures";

let api: ReturnType<typeof mockApi>;
beforeEach(() => {
  clockWatch.reset();
  api = mockApi();
  api.listAccounts.mockResolvedValue([live, sandpit, plain]);
  api.listTrash.mockResolvedValue([]);
  api.currentCodes.mockResolvedValue(snapshot(Date.now() + 20_000, Date.now()));
  api.hideRecoveryCodes.mockResolvedValue(undefined);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function clockStatus(offsetMs: number | null, correcting = false): ClockStatus {
  const needs = offsetMs !== null && Math.abs(offsetMs) > 5000;
  return {
    settings: {
      networkCheck: true,
      servers: ["time.cloudflare.com"],
      correctCodes: correcting,
      last: offsetMs === null ? null : { offsetMs, atMs: Date.UTC(2026, 10, 23, 1, 0), source: "2 of 2 time servers" },
    },
    networkAllowed: true,
    assessment:
      offsetMs === null
        ? null
        : {
            level: needs ? "warn" : "fine",
            needsAttention: needs,
            offsetMs,
            describe: `${(offsetMs / 1000).toFixed(1)} s behind`,
            message: "Codes change every 30 s, so for about 47.0 s of every 30 s Tessera still shows the previous code; services that accept only the current code may reject it.",
          },
    correction: correcting && offsetMs !== null ? { offsetMs, label: "Codes corrected for the clock being 47.0 s behind (+47.000 s)" } : null,
  };
}

describe("clock skew on the codes screen", () => {
  it("formats offsets for people", () => {
    expect(formatOffsetSize(47_200)).toBe("47 s");
    expect(formatOffsetSize(-5_400)).toBe("5.4 s");
    expect(formatOffsetSize(185_000)).toBe("3 min 5 s");
    expect(formatSignedOffset(47_000)).toBe("+47 s");
    expect(formatSignedOffset(-8_000)).toBe("−8.0 s");
  });

  it("shows a banner with the offset and why codes may be rejected, and corrects on request", async () => {
    clockWatch.status = clockStatus(47_000);
    api.setClockCorrection.mockResolvedValue(clockStatus(47_000, true));
    render(Codes, { settings: DEFAULT_SETTINGS, onadd: () => {} });
    const banner = await screen.findByRole("alert");
    expect(within(banner).getByText("Your computer's clock is 47 s behind")).toBeTruthy();
    expect(banner.textContent).toContain("may reject it");
    await fireEvent.click(within(banner).getByRole("button", { name: "Correct codes by +47 s" }));
    expect(api.setClockCorrection).toHaveBeenCalledWith(true);
    // The banner gives way to a plain statement that stays while correcting, with a way to turn it off.
    const note = await screen.findByText("Codes corrected by +47 s");
    expect(screen.queryByText("Your computer's clock is 47 s behind")).toBeNull();
    // Codes are fetched again for the corrected time.
    await vi.waitFor(() => expect(api.currentCodes.mock.calls.length).toBeGreaterThanOrEqual(2));
    api.setClockCorrection.mockResolvedValue(clockStatus(47_000, false));
    await fireEvent.click(within(note.closest("p")!).getByRole("button", { name: "Turn off correction" }));
    expect(api.setClockCorrection).toHaveBeenLastCalledWith(false);
    await vi.waitFor(() => expect(screen.queryByText("Codes corrected by +47 s")).toBeNull());
  });

  it("says nothing when the clock is within a few seconds, and the banner can be dismissed", async () => {
    clockWatch.status = clockStatus(1_200);
    render(Codes, { settings: DEFAULT_SETTINGS, onadd: () => {} });
    await screen.findByText("NHS Spine", { selector: ".issuer" }).catch(() => {});
    expect(screen.queryByRole("alert")).toBeNull();
    cleanup();
    clockWatch.status = clockStatus(-30_000);
    render(Codes, { settings: DEFAULT_SETTINGS, onadd: () => {} });
    const banner = await screen.findByRole("alert");
    expect(banner.textContent).toContain("Your computer's clock is 30 s ahead");
    await fireEvent.click(within(banner).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("says quietly when no time server answered and points to the offline method", async () => {
    clockWatch.status = clockStatus(null);
    clockWatch.lastCheck = { queried: true, measured: false, servers: [], message: "No time server answered.", status: clockStatus(null) };
    render(Codes, { settings: DEFAULT_SETTINGS, onadd: () => {} });
    const note = await screen.findByText(/could not reach a time server/);
    expect(note.textContent).toContain("Settings → Clock");
    await fireEvent.click(within(note).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByText(/could not reach a time server/)).toBeNull();
  });

  it("marks the previous key's code in words on the codes screen", async () => {
    const snap = snapshot(Date.now() + 20_000, Date.now());
    snap.codes[0].previous = "999888";
    api.currentCodes.mockResolvedValue(snap);
    render(Codes, { settings: DEFAULT_SETTINGS, onadd: () => {} });
    const prev = await screen.findByText("previous key 999 888");
    expect(prev.getAttribute("data-previous")).toBe("999888");
    const row = prev.closest("button")!;
    expect(computeAccessibleName(row)).toContain("previous key code 9 9 9, 8 8 8");
  });
});

describe("clock settings", () => {
  it("runs a check on demand and points to the offline method when no server answers", async () => {
    api.clockStatus.mockResolvedValue(clockStatus(null));
    api.checkClock.mockResolvedValue({
      queried: true,
      measured: false,
      servers: [{ server: "time.cloudflare.com", ok: false, offsetMs: null, delayMs: null, error: "no answer from time.cloudflare.com within 1500 ms" }],
      message: "No time server answered. Measure it offline instead in Settings: type a code a service just accepted, or the time a trusted clock shows.",
      status: clockStatus(null),
    });
    render(ClockSettingsCard);
    expect(await screen.findByText("Not measured yet.")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Check clock now" }));
    expect(await screen.findByText(/No time server answered/)).toBeTruthy();
    expect(screen.getByText(/no answer from time.cloudflare.com/)).toBeTruthy();
  });

  it("validates and saves the server list and the network switch", async () => {
    api.clockStatus.mockResolvedValue(clockStatus(null));
    api.saveClockSettings.mockRejectedValueOnce('"http://x" is not a server name or address (use HOST or HOST:PORT)');
    render(ClockSettingsCard);
    const servers = (await screen.findByLabelText(/Time servers/)) as HTMLTextAreaElement;
    await vi.waitFor(() => expect(servers.value).toBe("time.cloudflare.com"));
    await fireEvent.input(servers, { target: { value: "ntp.trust.nhs.uk\nhttp://x" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save clock settings" }));
    expect(await screen.findByText(/is not a server name/)).toBeTruthy();
    api.saveClockSettings.mockResolvedValue({ ...clockStatus(null), settings: { ...clockStatus(null).settings, networkCheck: false } });
    await fireEvent.click(screen.getByLabelText("Check the clock over the network"));
    await fireEvent.input(servers, { target: { value: "ntp.trust.nhs.uk" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save clock settings" }));
    await vi.waitFor(() => expect(api.saveClockSettings).toHaveBeenLastCalledWith(false, ["ntp.trust.nhs.uk"]));
    expect(await screen.findByText("Clock settings saved.")).toBeTruthy();
  });

  it("works out the offset from an accepted code, explains it, and applies it", async () => {
    api.clockStatus.mockResolvedValue(clockStatus(null));
    api.clockOffsetFromCode.mockResolvedValue({
      offsetMs: 45_000, minMs: 30_000, maxMs: 60_000, uncertaintyMs: 15_000, alternativesMs: [],
      explanation: "The service accepted the code of 1 code after this computer's, so the clock is between +30.0 s and +60.0 s off.",
      source: "a code NHS Spine accepted",
      assessment: clockStatus(45_000).assessment!,
    });
    api.applyClockOffset.mockResolvedValue(clockStatus(45_000, true));
    render(ClockSettingsCard);
    await screen.findByText("Not measured yet.");
    await vi.waitFor(() => expect((screen.getByLabelText("Account") as HTMLSelectElement).value).toBe("a1"));
    await fireEvent.input(screen.getByLabelText("The code it accepted"), { target: { value: "123 456" } });
    await fireEvent.click(screen.getByRole("button", { name: "Work out the offset" }));
    expect(api.clockOffsetFromCode).toHaveBeenCalledWith("a1", "123 456");
    expect(await screen.findByText("Your computer's clock is 45 s behind")).toBeTruthy();
    expect(screen.getByText(/between \+30.0 s and \+60.0 s/)).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Correct codes by +45 s" }));
    expect(api.applyClockOffset).toHaveBeenCalledWith(45_000, "a code NHS Spine accepted");
    expect(await screen.findByText("Codes are now corrected by +45 s.")).toBeTruthy();
  });
});

function info(remaining: number, total = 10): RecoveryInfo {
  return {
    total, remaining, fewLeft: remaining <= 2, summary: `${remaining} of ${total} left`,
    warning: remaining <= 2 ? `only ${remaining} recovery codes left: ask the service for new ones soon` : null, addedAtMs: 0,
  };
}

function details(over: Partial<Details> = {}): Details {
  return { id: "a1", keyChangedAtMs: null, hasPreviousKey: false, recovery: info(10), needsPassword: true, algorithm: "SHA1", ...over };
}

function revealed(usedFirst: number): RevealedCodes {
  const codes = Array.from({ length: 10 }, (_, i) => ({
    index: i, code: `${1000 + i} ${5000 + i}`, usedAtMs: i < usedFirst ? Date.UTC(2026, 10, 23) : null,
  }));
  return { codes, info: info(10 - usedFirst) };
}

describe("recovery codes", () => {
  it("are hidden until the app password is given again; a wrong one is a clear error", async () => {
    api.accountDetails.mockResolvedValue(details({ recovery: info(3) }));
    api.revealRecoveryCodes.mockRejectedValueOnce("wrong password; the recovery codes stay hidden");
    api.revealRecoveryCodes.mockResolvedValue(revealed(7));
    render(AccountDetails, { account: live, onclose: () => {} });
    expect(await screen.findByText("3 of 10 left")).toBeTruthy();
    expect(screen.queryByText("1007 5007")).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Show codes…" }));
    const pw = screen.getByLabelText(/App password/);
    await fireEvent.input(pw, { target: { value: "nope" } });
    await fireEvent.click(screen.getByRole("button", { name: "Show codes" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Wrong password; the recovery codes stay hidden.");
    expect(screen.queryByText("1007 5007")).toBeNull();
    await fireEvent.input(screen.getByLabelText(/App password/), { target: { value: "correct horse" } });
    await fireEvent.click(screen.getByRole("button", { name: "Show codes" }));
    expect(await screen.findByText("1007 5007")).toBeTruthy();
    expect(api.revealRecoveryCodes).toHaveBeenLastCalledWith("a1", "correct horse");
    // Used codes: struck through, with the date in words (not colour alone).
    const used = screen.getByText("1000 5000");
    expect(used.tagName).toBe("S");
    expect(used.parentElement!.textContent).toContain("used 23 Nov 2026");
  });

  it("copy and mark used; the count drops and a warning shows when few remain", async () => {
    api.accountDetails.mockResolvedValue(details({ recovery: info(3), needsPassword: false }));
    api.revealRecoveryCodes.mockResolvedValue(revealed(7));
    api.copyRecoveryCode.mockResolvedValue(30);
    api.markRecoveryCodeUsed.mockResolvedValue(revealed(8));
    render(AccountDetails, { account: live, onclose: () => {} });
    expect(await screen.findByText("3 of 10 left")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Show codes…" }));
    expect(api.revealRecoveryCodes).toHaveBeenCalledWith("a1", null);
    await screen.findByText("1007 5007");
    await fireEvent.click(screen.getByRole("button", { name: "Copy recovery code 8" }));
    expect(api.copyRecoveryCode).toHaveBeenCalledWith("a1", 7);
    expect(await screen.findByText("Copied. The clipboard is cleared in 30 s.")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Mark recovery code 8 used" }));
    expect(api.markRecoveryCodeUsed).toHaveBeenCalledWith("a1", 7);
    expect(await screen.findByText("2 of 10 left")).toBeTruthy();
    expect(screen.getByText(/only 2 recovery codes left/)).toBeTruthy();
    expect(screen.getByText("1007 5007").tagName).toBe("S");
  });

  it("counts the codes in a pasted block before saving", async () => {
    api.accountDetails.mockResolvedValue(details({ recovery: { ...info(0, 0), summary: "no recovery codes" } }));
    api.parseRecoveryCodes.mockResolvedValue({ count: 10, ignored: ["Backup codes for NHS Mail:"], duplicates: 0 });
    api.storeRecoveryCodes.mockResolvedValue(info(10));
    render(AccountDetails, { account: live, onclose: () => {} });
    await fireEvent.click(await screen.findByRole("button", { name: "Add recovery codes…" }));
    await fireEvent.input(screen.getByLabelText(/Paste the codes/), { target: { value: "Backup codes for NHS Mail:\n1234 5678\n…" } });
    expect(await screen.findByText(/10 codes recognised/)).toBeTruthy();
    expect(screen.getByText(/Skipped \(not codes\): Backup codes for NHS Mail:/)).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Save codes" }));
    expect(api.storeRecoveryCodes).toHaveBeenCalledWith("a1", "Backup codes for NHS Mail:\n1234 5678\n…", "refuse");
    expect(await screen.findByText("10 of 10 left")).toBeTruthy();
  });

  it("never appear on the codes screen or in search", async () => {
    render(Codes, { settings: DEFAULT_SETTINGS, onadd: () => {} });
    await screen.findByText("NHS Spine", { selector: ".issuer" }).catch(() => {});
    await screen.findAllByText("123");
    expect(api.revealRecoveryCodes).not.toHaveBeenCalled();
    expect(api.recoveryInfo).not.toHaveBeenCalled();
  });
});

describe("replacing a key", () => {
  it("shows both codes, the old one marked previous key, and confirms or reverts", async () => {
    api.accountDetails.mockResolvedValue(details({ hasPreviousKey: true, keyChangedAtMs: Date.UTC(2026, 10, 23, 9) }));
    const snap = snapshot(Date.now() + 20_000, Date.now());
    snap.codes[0].previous = "999888";
    api.currentCodes.mockResolvedValue(snap);
    api.confirmKey.mockResolvedValue(undefined);
    api.revertKey.mockResolvedValue(undefined);
    render(AccountDetails, { account: live, onclose: () => {} });
    expect(await screen.findByText("Key changed 23 Nov 2026")).toBeTruthy();
    expect(screen.getByText("Previous key")).toBeTruthy();
    expect(await screen.findByText("999 888")).toBeTruthy();
    expect(screen.getByText("123 456")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "The new code worked" }));
    expect(api.confirmKey).toHaveBeenCalledWith("a1");
    await fireEvent.click(screen.getByRole("button", { name: "Go back to the old key" }));
    expect(api.revertKey).toHaveBeenCalledWith("a1");
  });

  it("takes the new key by typing, with the account's names filled in, and replaces it", async () => {
    api.accountDetails.mockResolvedValue(details());
    api.checkManual.mockResolvedValue({ ok: true, error: null, warnings: [], preview: "654321" });
    api.stageManual.mockResolvedValue({ draftId: "d1", issuer: "NHS Spine", account: "alice", kind: "totp", algorithm: "SHA1", digits: 6, period: 30 });
    api.replaceKey.mockResolvedValue({ warnings: [] });
    render(AccountDetails, { account: live, onclose: () => {} });
    await fireEvent.click(await screen.findByRole("button", { name: "Replace key…" }));
    await fireEvent.click(screen.getByRole("button", { name: /Type the new key/ }));
    expect((screen.getByLabelText(/Issuer/) as HTMLInputElement).value).toBe("NHS Spine");
    await fireEvent.input(screen.getByLabelText("Secret key"), { target: { value: "GEZDGNBVGY3TQOJQ" } });
    await screen.findByText(/Key looks right/);
    await vi.waitFor(() => expect((screen.getByRole("button", { name: "Continue" }) as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(screen.getByRole("button", { name: "Continue" }));
    expect(await screen.findByText(/marked/)).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Replace key" }));
    expect(api.replaceKey).toHaveBeenCalledWith("a1", "d1");
    expect(await screen.findByText(/New key stored/)).toBeTruthy();
  });

  it("is reached from the Manage screen's account actions", async () => {
    api.accountDetails.mockResolvedValue(details());
    render(Manage, { ondone: () => {} });
    await fireEvent.click(await screen.findByRole("button", { name: "Key and recovery codes of NHS Spine alice, Live environment" }));
    expect(await screen.findByRole("button", { name: "Replace key…" })).toBeTruthy();
    expect(screen.getByText(/Key not changed/)).toBeTruthy();
  });
});
