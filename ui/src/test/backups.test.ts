import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import BackupsSettingsCard from "../components/BackupsSettingsCard.svelte";
import BackupBanner from "../components/BackupBanner.svelte";
import Transfer from "../screens/Transfer.svelte";
import { backupNotice, type BackupStatus } from "../lib/backups";
import { mockApi } from "./fixtures";

let api: ReturnType<typeof mockApi>;
beforeEach(() => {
  api = mockApi();
  backupNotice.dismissed = backupNotice.reminderDismissed = false;
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const at = new Date(2026, 11, 5, 12, 50).getTime();
const off: BackupStatus = {
  enabled: false, folder: null, keep: 10, lastVerified: null, lastVerifiedMs: null, lastFile: null, accounts: null,
  lastError: null, lastRestoreTestMs: null, warning: "Automatic backups are off and there is no verified backup: if this computer is lost, so are your accounts.", restoreTestDue: false,
};
const on: BackupStatus = {
  ...off, enabled: true, folder: "/home/ann/Nextcloud/Tessera", lastVerified: "2026-12-05T12:50:00Z", lastVerifiedMs: at,
  lastFile: "/home/ann/Nextcloud/Tessera/tessera-backup-20261205-125000.tessera", accounts: 3, warning: null, restoreTestDue: true,
};

const input = (id: string, value: string) => fireEvent.input(document.getElementById(id)!, { target: { value } });

describe("Settings → Backups", () => {
  it("turns backups on with the picked folder and the password twice, then shows the verified state", async () => {
    api.backupStatus.mockResolvedValue(off);
    api.pickFolder.mockResolvedValue("/home/ann/Nextcloud/Tessera");
    api.backupPasswordProblem.mockResolvedValue(null);
    api.backupTurnOn.mockResolvedValue(on);
    render(BackupsSettingsCard, {});
    expect((await screen.findByText(/Automatic backups are off/)).textContent).toBeTruthy();
    await fireEvent.click(document.getElementById("backup-choose")!);
    await vi.waitFor(() => expect((document.getElementById("backup-folder") as HTMLInputElement).value).toBe("/home/ann/Nextcloud/Tessera"));
    await input("backup-password", "plinth mango ferry cobalt");
    await input("backup-confirm", "plinth mango ferry");
    await fireEvent.submit(document.getElementById("backup-on-form")!);
    expect((await screen.findByRole("alert")).textContent).toContain("not the same");
    expect(api.backupTurnOn).not.toHaveBeenCalled();
    await input("backup-confirm", "plinth mango ferry cobalt");
    await fireEvent.submit(document.getElementById("backup-on-form")!);
    await vi.waitFor(() => expect(document.getElementById("backup-status")?.textContent).toMatch(
      /Last verified backup 5 Dec 2026, 12:50 — 3 accounts\s+— \/home\/ann\/Nextcloud\/Tessera/,
    ));
    expect(api.backupTurnOn).toHaveBeenCalledWith("/home/ann/Nextcloud/Tessera", 10, "plinth mango ferry cobalt", "plinth mango ferry cobalt");
    expect(document.getElementById("restore-reminder")?.textContent).toContain("not tested a restore yet");
    expect(document.getElementById("backup-on-form")).toBeNull();
  });

  it("says when the last automatic backup failed, and tests a restore", async () => {
    api.backupStatus.mockResolvedValue({ ...on, lastError: "the backup folder /media/stick does not exist or is not a folder" });
    api.backupTestRestore.mockResolvedValue({
      file: on.lastFile!, matches: true, summary: "The backup opens with this password and matches the vault: 3 accounts would come back.",
      createdAtMs: at, backupAccounts: 3, vaultAccounts: 3, same: 3, changed: [], onlyInBackup: [], onlyInVault: [],
      status: { ...on, restoreTestDue: false, lastRestoreTestMs: at },
    });
    render(BackupsSettingsCard, {});
    expect((await screen.findByText(/The last automatic backup failed/)).textContent).toContain("The backup folder /media/stick does not exist");
    await fireEvent.click(document.getElementById("backup-test-open")!);
    await input("restore-password", "plinth mango ferry cobalt");
    await fireEvent.submit(document.getElementById("restore-test-form")!);
    await vi.waitFor(() => expect(document.getElementById("restore-result")?.textContent).toContain("matches the vault: 3 accounts"));
    expect(api.backupTestRestore).toHaveBeenCalledWith(null, "plinth mango ferry cobalt");
    expect(document.getElementById("restore-reminder")).toBeNull();
  });
});

describe("the codes screen's backup banner", () => {
  it("warns while backups are off, and stays dismissed for the session", async () => {
    api.backupStatus.mockResolvedValue(off);
    render(BackupBanner, {});
    expect((await screen.findByText(/Automatic backups are off/)).textContent).toContain("no verified backup");
    await fireEvent.click(document.getElementById("backup-banner-dismiss")!);
    expect(document.getElementById("backup-banner")).toBeNull();
    cleanup();
    render(BackupBanner, {});
    await vi.waitFor(() => expect(api.backupStatus).toHaveBeenCalledTimes(2));
    await new Promise((r) => setTimeout(r, 0));
    expect(document.getElementById("backup-banner")).toBeNull();
  });

  it("reminds to test a restore when one is due, and shows nothing when all is well", async () => {
    api.backupStatus.mockResolvedValue(on);
    render(BackupBanner, {});
    expect((await screen.findByText(/Test a restore to be sure/)).textContent).toBeTruthy();
    cleanup();
    api.backupStatus.mockResolvedValue({ ...on, restoreTestDue: false });
    render(BackupBanner, {});
    await new Promise((r) => setTimeout(r, 0));
    expect(document.getElementById("restore-nudge")).toBeNull();
    expect(document.getElementById("backup-banner")).toBeNull();
  });
});

describe("Settings → Backups → Emergency sheet", () => {
  it("saves the plain sheet where the Save dialog says", async () => {
    api.backupStatus.mockResolvedValue(on);
    api.vaultStatus.mockResolvedValue({ hasPassword: true } as never);
    api.pickSavePath.mockResolvedValue("/home/ann/Documents/sheet.html");
    api.emergencySheet.mockResolvedValue({ file: "/home/ann/Documents/sheet.html", accounts: 3, withSecrets: false });
    render(BackupsSettingsCard, {});
    await fireEvent.click(await screen.findByText("Emergency sheet…"));
    expect(document.getElementById("sheet-warning")).toBeNull();
    expect(document.getElementById("sheet-password")).toBeNull();
    await fireEvent.submit(document.getElementById("sheet-form")!);
    await vi.waitFor(() => expect(document.getElementById("sheet-message")?.textContent).toContain("/home/ann/Documents/sheet.html (3 accounts)"));
    expect(api.pickSavePath.mock.calls[0][0]).toBe("Save the emergency sheet as");
    expect(api.pickSavePath.mock.calls[0][1]).toMatch(/^tessera-emergency-sheet-\d{4}-\d\d-\d\d\.html$/);
    expect(api.emergencySheet).toHaveBeenCalledWith("/home/ann/Documents/sheet.html", false, null);
  });

  it("puts the locked-drawer version behind a warning and the app password", async () => {
    api.backupStatus.mockResolvedValue(on);
    api.vaultStatus.mockResolvedValue({ hasPassword: true } as never);
    api.pickSavePath.mockResolvedValue("/home/ann/drawer.html");
    api.emergencySheet.mockRejectedValueOnce("wrong password; the sheet with the keys was not made");
    render(BackupsSettingsCard, {});
    await fireEvent.click(await screen.findByText("Emergency sheet…"));
    await vi.waitFor(() => expect(api.vaultStatus).toHaveBeenCalled());
    await fireEvent.click(document.getElementById("sheet-secrets")!);
    expect(document.getElementById("sheet-warning")?.textContent).toContain("Anyone who sees or photographs this page");
    await fireEvent.submit(document.getElementById("sheet-form")!);
    expect(document.getElementById("sheet-error")?.textContent).toContain("Type your app password");
    expect(api.pickSavePath).not.toHaveBeenCalled();
    await input("sheet-password", "wrong horse");
    await fireEvent.submit(document.getElementById("sheet-form")!);
    await vi.waitFor(() => expect(document.getElementById("sheet-error")?.textContent).toContain("Wrong password"));
    expect(api.emergencySheet).toHaveBeenLastCalledWith("/home/ann/drawer.html", true, "wrong horse");
    api.emergencySheet.mockResolvedValue({ file: "/home/ann/drawer.html", accounts: 3, withSecrets: true });
    await input("sheet-password", "correct horse");
    await fireEvent.submit(document.getElementById("sheet-form")!);
    await vi.waitFor(() => expect(document.getElementById("sheet-message")?.textContent).toContain("keep the paper locked away"));
    expect(api.emergencySheet).toHaveBeenLastCalledWith("/home/ann/drawer.html", true, "correct horse");
    expect(api.pickSavePath.mock.calls[0][1]).toMatch(/locked-drawer/);
  });
});
