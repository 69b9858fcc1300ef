// Issue 16 items 4, 6 and 17 in the UI: the edit form's duplicate choices, the HOTP counter, and the
// visible confirmation (with the environment as words and badge) plus Undo after delete.
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import Manage from "../screens/Manage.svelte";
import DoneBanner from "../components/DoneBanner.svelte";
import ReviewForm from "../components/ReviewForm.svelte";
import AccountDetails from "../components/AccountDetails.svelte";
import { doneMessage, parseCounter } from "../lib/done";
import { IpcFailure } from "../lib/ipc";
import { notices } from "../lib/notice.svelte";
import type { AccountView, Draft, RecoveryInfo, RevealedCodes } from "../lib/api";
import { live, mockApi, plain, sandpit } from "./fixtures";

const hotp: AccountView = { id: "h1", issuer: "VPN", account: "dave", environment: { kind: "none" }, note: "", kind: "hotp", digits: 6, period: 30, counter: 7 };
const REFUSAL_WORDS = 'NHS Spine alice LIVE is already in the vault. Choose "Replace it" (that one goes to the trash) or "Keep both", or pick another environment.';
const REFUSAL = new IpcFailure("conflict", REFUSAL_WORDS);

let api: ReturnType<typeof mockApi>;
beforeEach(() => {
  api = mockApi();
  api.listAccounts.mockResolvedValue([live, sandpit, plain, hotp]);
  api.listTrash.mockResolvedValue([]);
  notices.clear();
});
afterEach(() => {
  cleanup();
  notices.clear();
  vi.restoreAllMocks();
});

function renderManage() {
  render(DoneBanner);
  render(Manage, { ondone: () => {} });
}

describe("words", () => {
  it("names issuer, account and environment", () => {
    expect(doneMessage("deleted", live)).toBe("Moved NHS Spine, alice, Live environment to the trash.");
    expect(doneMessage("restored", sandpit)).toBe("Restored NHS Spine, alice, Sandpit environment.");
    expect(doneMessage("added", plain)).toBe("Added GitHub, carol, no environment.");
    expect(doneMessage("saved", plain)).toBe("Saved GitHub, carol, no environment.");
  });
  it("reads a counter", () => {
    expect(parseCounter("12")).toBe(12);
    expect(parseCounter(" 0 ")).toBe(0);
    expect(parseCounter("-1")).toBeNull();
    expect(parseCounter("1.5")).toBeNull();
    expect(parseCounter("")).toBeNull();
  });
});

describe("4. edit into a taken environment", () => {
  it("offers Replace / Keep both / Cancel, explained, and sends the choice", async () => {
    api.editAccount.mockRejectedValueOnce(REFUSAL).mockResolvedValueOnce(undefined);
    // The core names the account the edit clashes with (never this one: it is asked with except).
    api.checkConflicts.mockResolvedValue({ twins: [live], sameEnvironment: true, clashes: [live], needsEnvironment: false });
    renderManage();
    await fireEvent.click(await screen.findByRole("button", { name: "Edit NHS Spine alice, Sandpit environment" }));
    await fireEvent.click(screen.getByLabelText(/LIVE/));
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    const box = await screen.findByRole("group", { name: /Another account already has these names/ });
    expect(document.activeElement).toBe(box);
    expect(box.textContent).toContain("the other account goes to the trash");
    expect(box.textContent).toContain("both stay");
    expect(box.querySelector(".env-live")).not.toBeNull();
    expect(box.querySelector("#edit-dup-desc")!.textContent).toContain("NHS Spine · alice");
    expect(api.checkConflicts).toHaveBeenCalledWith("NHS Spine", "alice", { kind: "live" }, "a2");
    expect((screen.getByRole("button", { name: "Save" }) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(screen.getByRole("button", { name: "Replace it (the other goes to the trash)" }));
    await vi.waitFor(() =>
      expect(api.editAccount).toHaveBeenLastCalledWith("a2", {
        issuer: "NHS Spine", account: "alice", environment: { kind: "live" }, note: "", onDuplicate: "replace",
      }),
    );
    const banner = await screen.findByText(/Saved NHS Spine, alice, Live environment. The other one is in the trash./);
    expect(banner.querySelector(".env-live")).not.toBeNull();
  });

  it("is known by the kind conflict, not by the words", async () => {
    // The same words with another kind are just shown; no choices are offered.
    api.editAccount.mockRejectedValueOnce(new IpcFailure("other", REFUSAL_WORDS));
    renderManage();
    await fireEvent.click(await screen.findByRole("button", { name: "Edit NHS Spine alice, Sandpit environment" }));
    await fireEvent.click(screen.getByLabelText(/LIVE/));
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("alert")).textContent).toContain("already in the vault");
    expect(screen.queryByRole("group", { name: /Another account/ })).toBeNull();
  });

  it("a save that lost to another window reads the accounts again and keeps the form", async () => {
    api.editAccount.mockRejectedValueOnce(
      new IpcFailure("changedOnDisk", "the vault /v was changed by another Tessera window or command after it was opened here; nothing was saved. Open it again and repeat the change"),
    );
    renderManage();
    await fireEvent.click(await screen.findByRole("button", { name: "Edit NHS Spine alice, Sandpit environment" }));
    const before = api.listAccounts.mock.calls.length;
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("alert")).textContent).toContain("nothing was saved");
    await vi.waitFor(() => expect(api.listAccounts.mock.calls.length).toBeGreaterThan(before));
    expect(screen.getByLabelText("Issuer")).toBeTruthy();
  });

  it("Cancel keeps the form and saves nothing", async () => {
    api.editAccount.mockRejectedValueOnce(REFUSAL);
    renderManage();
    await fireEvent.click(await screen.findByRole("button", { name: "Edit NHS Spine alice, Sandpit environment" }));
    await fireEvent.click(screen.getByLabelText(/LIVE/));
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByRole("group", { name: /Another account/ });
    await fireEvent.click(document.getElementById("edit-dup-cancel")!);
    expect(screen.queryByRole("group", { name: /Another account/ })).toBeNull();
    expect(api.editAccount).toHaveBeenCalledTimes(1);
    expect(screen.getByLabelText("Issuer")).toBeTruthy();
  });
});

describe("17. HOTP counter", () => {
  it("is shown on the row and can be set back in the edit form", async () => {
    api.editAccount.mockResolvedValue(undefined);
    renderManage();
    expect((await screen.findByText("Counter 7 (next code)")).id).toBe("counter-h1");
    await fireEvent.click(screen.getByRole("button", { name: "Edit VPN dave" }));
    const input = screen.getByLabelText(/Counter/) as HTMLInputElement;
    expect(input.value).toBe("7");
    await fireEvent.input(input, { target: { value: "4" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await vi.waitFor(() =>
      expect(api.editAccount).toHaveBeenCalledWith("h1", { issuer: "VPN", account: "dave", environment: { kind: "none" }, note: "", counter: 4 }),
    );
  });
  it("refuses a counter that is not a whole number", async () => {
    renderManage();
    await fireEvent.click(await screen.findByRole("button", { name: "Edit VPN dave" }));
    await fireEvent.input(screen.getByLabelText(/Counter/), { target: { value: "-2" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/whole number/);
    expect(api.editAccount).not.toHaveBeenCalled();
  });
  it("a TOTP account has no counter field", async () => {
    renderManage();
    await fireEvent.click(await screen.findByRole("button", { name: "Edit GitHub carol" }));
    expect(screen.queryByLabelText(/Counter/)).toBeNull();
  });
});

describe("6. delete says what happened, with Undo", () => {
  it("shows the account in words and badge; Undo restores it", async () => {
    api.deleteAccount.mockResolvedValue(undefined);
    api.restoreAccount.mockResolvedValue(undefined);
    renderManage();
    await fireEvent.click(await screen.findByRole("button", { name: "Delete NHS Spine alice, Live environment" }));
    const text = await screen.findByText(/Moved NHS Spine, alice, Live environment to the trash./);
    expect(text.querySelector(".env-live")?.textContent).toContain("LIVE");
    await fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    await vi.waitFor(() => expect(api.restoreAccount).toHaveBeenCalledWith("a1"));
    expect(await screen.findByText(/Restored NHS Spine, alice, Live environment./)).toBeTruthy();
  });
  it("restore from the trash says so", async () => {
    api.restoreAccount.mockResolvedValue(undefined);
    api.listTrash.mockResolvedValue([{ id: "t1", issuer: "EPR", account: "bob", environment: { kind: "sandpit" }, deletedAtMs: Date.now() }]);
    renderManage();
    await fireEvent.click(await screen.findByRole("button", { name: "Restore EPR bob, Sandpit environment" }));
    expect(await screen.findByText(/Restored EPR, bob, Sandpit environment./)).toBeTruthy();
  });
});

const draft = (id: string): Draft => ({ draftId: id, issuer: "NHS Spine", account: "alice", kind: "totp", algorithm: "SHA1", digits: 6, period: 30 });

describe("5. the duplicate box on Add", () => {
  it("takes the focus, is scrolled to, and says what each choice does", async () => {
    api.listAccounts.mockResolvedValue([live]);
    api.checkConflicts.mockImplementation(async (_i, _a, env) => ({
      twins: [live],
      sameEnvironment: env.kind === "live",
      clashes: env.kind === "live" ? [live] : [],
      needsEnvironment: env.kind === "none",
    }));
    api.draftPreview.mockResolvedValue({ code: "123456", validUntilMs: Date.now() + 20_000 });
    api.discardDrafts.mockResolvedValue(undefined);
    api.addAccount
      .mockResolvedValueOnce({ status: "duplicate", existing: [live], sameEnvironment: true })
      .mockResolvedValueOnce({ status: "added", id: "n", warnings: ["The same key is also stored for NHS Spine alice LIVE."] });
    const scrolled = vi.fn();
    Element.prototype.scrollIntoView = scrolled;
    const ondone = vi.fn();
    render(DoneBanner);
    render(ReviewForm, { drafts: [draft("d1")], ondone, oncancel: () => {} });
    await fireEvent.click(await screen.findByLabelText("LIVE"));
    await fireEvent.click(screen.getByRole("button", { name: "Add account" }));
    const box = await screen.findByRole("alertdialog");
    await vi.waitFor(() => expect(document.activeElement).toBe(box));
    expect(scrolled).toHaveBeenCalled();
    const help = box.querySelector("#dup-help")!.textContent!;
    expect(help).toMatch(/Keep both: both accounts stay/);
    expect(help).toMatch(/Replace: the account already there goes to the trash/);
    expect(help).toMatch(/Don't add this one: nothing is added/);
    const keep = screen.getByRole("button", { name: "Keep both" }) as HTMLButtonElement;
    expect(keep.disabled).toBe(true);
    await fireEvent.click(screen.getByLabelText("SANDPIT"));
    await vi.waitFor(() => expect(keep.disabled).toBe(false));
    await fireEvent.click(keep);
    await vi.waitFor(() => expect(ondone).toHaveBeenCalledWith(1));
    const banner = await screen.findByText(/Added NHS Spine, alice, Sandpit environment. The same key is also stored/);
    expect(banner.querySelector(".env-sandpit")).not.toBeNull();
  });
});

function rinfo(remaining: number): RecoveryInfo {
  return { total: 10, remaining, fewLeft: false, summary: `${remaining} of 10 left`, warning: null, addedAtMs: 0 };
}
function rcodes(used: number[]): RevealedCodes {
  const codes = Array.from({ length: 10 }, (_, i) => ({ index: i, code: `${1000 + i} ${5000 + i}`, usedAtMs: used.includes(i) ? Date.now() : null }));
  return { codes, info: rinfo(10 - used.length) };
}

describe("6. Mark used can be undone", () => {
  it("the banner names the code and the account; Undo calls unmark and the code is unused again", async () => {
    api.currentCodes.mockResolvedValue({ nowMs: Date.now(), codes: [] });
    api.accountDetails.mockResolvedValue({ id: "a1", keyChangedAtMs: null, hasPreviousKey: false, recovery: rinfo(10), needsPassword: false, algorithm: "SHA1" });
    api.revealRecoveryCodes.mockResolvedValue(rcodes([]));
    api.markRecoveryCodeUsed.mockResolvedValue(rcodes([2]));
    api.unmarkRecoveryCodeUsed.mockResolvedValue(rcodes([]));
    render(DoneBanner);
    render(AccountDetails, { account: live, onclose: () => {} });
    await fireEvent.click(await screen.findByRole("button", { name: "Show codes…" }));
    await screen.findByText("1002 5002");
    await fireEvent.click(screen.getByRole("button", { name: "Mark recovery code 3 used" }));
    const text = await screen.findByText(/Marked recovery code 3 of NHS Spine, alice, Live environment used. 9 of 10 left./);
    expect(text.querySelector(".env-live")).not.toBeNull();
    expect(screen.getByText("1002 5002").tagName).toBe("S");
    await fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    await vi.waitFor(() => expect(api.unmarkRecoveryCodeUsed).toHaveBeenCalledWith("a1", 2));
    expect(await screen.findByText(/Recovery code 3 of NHS Spine, alice, Live environment is unused again. 10 of 10 left./)).toBeTruthy();
    expect(screen.getByText("1002 5002").tagName).toBe("SPAN");
  });
});

describe("6. the banner and the focus", () => {
  it("after a delete the focus goes to Undo (the pressed button went with its row)", async () => {
    api.deleteAccount.mockResolvedValue(undefined);
    renderManage();
    const del = await screen.findByRole("button", { name: "Delete NHS Spine alice, Live environment" });
    del.focus();
    api.listAccounts.mockResolvedValue([sandpit, plain, hotp]);
    await fireEvent.click(del);
    const undo = await screen.findByRole("button", { name: "Undo" });
    await vi.waitFor(() => expect(document.activeElement).toBe(undo));
  });

  it("stays until dismissed (no timer that would move the rows below it)", async () => {
    vi.useFakeTimers();
    try {
      render(DoneBanner);
      notices.show("Added GitHub, carol, no environment.", { environment: plain.environment });
      await vi.advanceTimersByTimeAsync(120_000);
      expect(notices.current?.text).toBe("Added GitHub, carol, no environment.");
      notices.show("Short one.", { ms: 1000 });
      await vi.advanceTimersByTimeAsync(1_500);
      expect(notices.current).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
