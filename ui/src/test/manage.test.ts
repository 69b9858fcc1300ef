import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import Manage from "../screens/Manage.svelte";
import SettingsScreen from "../screens/Settings.svelte";
import App from "../App.svelte";
import { DEFAULT_SETTINGS } from "../lib/api";
import { live, mockApi, plain, sandpit, snapshot } from "./fixtures";

let api: ReturnType<typeof mockApi>;
beforeEach(() => {
  api = mockApi();
  api.listAccounts.mockResolvedValue([live, sandpit, plain]);
  api.listTrash.mockResolvedValue([]);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("managing accounts", () => {
  it("edits issuer, account, environment and note", async () => {
    api.editAccount.mockResolvedValue(undefined);
    render(Manage, { ondone: () => {} });
    await fireEvent.click(await screen.findByRole("button", { name: "Edit GitHub carol" }));
    await fireEvent.input(screen.getByLabelText("Note"), { target: { value: "work laptop" } });
    await fireEvent.click(screen.getByLabelText("Other…"));
    await fireEvent.input(screen.getByPlaceholderText("e.g. Training"), { target: { value: "UAT" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await vi.waitFor(() =>
      expect(api.editAccount).toHaveBeenCalledWith("a4", {
        issuer: "GitHub", account: "carol", environment: { kind: "custom", name: "UAT" }, note: "work laptop",
      }),
    );
  });

  it("deletes to the trash and restores from it", async () => {
    api.deleteAccount.mockResolvedValue(undefined);
    api.restoreAccount.mockResolvedValue(undefined);
    render(Manage, { ondone: () => {} });
    await fireEvent.click(await screen.findByRole("button", { name: "Delete NHS Spine alice, Live environment" }));
    expect(api.deleteAccount).toHaveBeenCalledWith("a1");
    api.listAccounts.mockResolvedValue([sandpit, plain]);
    api.listTrash.mockResolvedValue([{ id: "a1", issuer: "NHS Spine", account: "alice", environment: { kind: "live" }, deletedAtMs: Date.now() }]);
    render(Manage, { ondone: () => {} });
    await fireEvent.click(await screen.findByRole("button", { name: "Restore NHS Spine alice, Live environment" }));
    expect(api.restoreAccount).toHaveBeenCalledWith("a1");
  });

  it("sets how long the trash keeps deleted accounts, showing a value the CLI set", async () => {
    api.trashKeepDays.mockResolvedValue(45);
    api.setTrashKeepDays.mockResolvedValue(7);
    render(Manage, { ondone: () => {} });
    const select = (await screen.findByLabelText(/Deleted accounts are deleted for good after/)) as HTMLSelectElement;
    await vi.waitFor(() => expect(select.value).toBe("45"));
    expect([...select.options].map((o) => o.value)).toEqual(["1", "7", "14", "30", "45", "90", "365"]);
    await fireEvent.change(select, { target: { value: "7" } });
    expect(api.setTrashKeepDays).toHaveBeenCalledWith(7);
  });

  it("moves an account to the top, the rest keeping their order", async () => {
    api.reorderAccounts.mockResolvedValue(undefined);
    render(Manage, { ondone: () => {} });
    await fireEvent.click(await screen.findByRole("button", { name: "Move GitHub carol to the top" }));
    expect(api.reorderAccounts).toHaveBeenCalledWith(["a4", "a1", "a2"]);
  });

  it("reorders with the arrow buttons", async () => {
    api.reorderAccounts.mockResolvedValue(undefined);
    render(Manage, { ondone: () => {} });
    await fireEvent.click(await screen.findByRole("button", { name: "Move GitHub carol up" }));
    expect(api.reorderAccounts).toHaveBeenCalledWith(["a1", "a4", "a2"]);
  });
});

describe("settings", () => {
  it("saves auto-lock, clipboard time, hidden codes, order of codes and theme", async () => {
    api.saveSettings.mockResolvedValue(undefined);
    const onsaved = vi.fn();
    render(SettingsScreen, { settings: DEFAULT_SETTINGS, status: { state: "unlocked", keychainAvailable: true, hasPassword: false, usesKeychain: true }, onsaved });
    expect((screen.getByLabelText(/Lock after/) as HTMLInputElement).value).toBe("5");
    expect((screen.getByLabelText(/Clear the clipboard/) as HTMLInputElement).value).toBe("30");
    await fireEvent.input(screen.getByLabelText(/Clear the clipboard/), { target: { value: "10" } });
    await fireEvent.click(screen.getByLabelText("Hide codes until clicked"));
    await fireEvent.click(screen.getByLabelText("Dark"));
    await fireEvent.change(screen.getByLabelText(/Order of codes/), { target: { value: "environment" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save settings" }));
    const want = { autoLockMinutes: 5, clipboardSeconds: 10, hideCodes: true, theme: "dark", sort: "environment" };
    await vi.waitFor(() => expect(api.saveSettings).toHaveBeenCalledWith(want));
    expect(onsaved).toHaveBeenCalledWith(want);
  });

  it("sets an app password when there is none", async () => {
    api.setPassword.mockResolvedValue(undefined);
    render(SettingsScreen, { settings: DEFAULT_SETTINGS, status: { state: "unlocked", keychainAvailable: true, hasPassword: false, usesKeychain: true }, onsaved: () => {} });
    await fireEvent.input(screen.getByLabelText("New password"), { target: { value: "correct horse" } });
    await fireEvent.input(screen.getByLabelText("Type it again"), { target: { value: "correct horse" } });
    await fireEvent.click(screen.getByRole("button", { name: "Set password" }));
    await vi.waitFor(() => expect(api.setPassword).toHaveBeenCalledWith(null, "correct horse"));
  });
});

describe("locking", () => {
  let lockedByRust: ((reason: string) => void) | undefined;
  function unlockedApp() {
    api.onLocked.mockImplementation(async (f) => {
      lockedByRust = f;
      return () => {};
    });
    api.reportActivity.mockResolvedValue(undefined);
    api.vaultStatus.mockResolvedValue({ state: "unlocked", keychainAvailable: true, hasPassword: true, usesKeychain: true });
    api.getSettings.mockResolvedValue({ ...DEFAULT_SETTINGS, autoLockMinutes: 1 });
    api.currentCodes.mockImplementation(async () => snapshot(Date.now() + 20_000, Date.now()));
    api.lockVault.mockImplementation(async () => {
      api.vaultStatus.mockResolvedValue({ state: "locked", keychainAvailable: true, hasPassword: true, usesKeychain: true });
    });
    // The app starts with one answer (state, settings, and first codes when the vault opens by itself).
    api.startSession.mockImplementation(async () => ({ status: await api.vaultStatus(), settings: await api.getSettings(), accounts: null, codes: null }));
    render(App);
  }

  it("locks from the button and from Ctrl+L", async () => {
    unlockedApp();
    await fireEvent.click(await screen.findByRole("button", { name: "Lock" }));
    expect(await screen.findByText("Tessera is locked")).toBeTruthy();
    cleanup();
    unlockedApp();
    await screen.findByRole("button", { name: "Lock" });
    await fireEvent.keyDown(window, { key: "l", ctrlKey: true });
    expect(await screen.findByText("Tessera is locked")).toBeTruthy();
  });

  it("shows the lock screen when Rust locked by itself (deadline, suspend, screen lock)", async () => {
    unlockedApp();
    await screen.findByRole("button", { name: "Lock" });
    await fireEvent.keyDown(window, { key: "a" });
    expect(api.reportActivity).toHaveBeenCalled();
    api.vaultStatus.mockResolvedValue({ state: "locked", keychainAvailable: true, hasPassword: true, usesKeychain: true });
    lockedByRust?.("idle");
    expect(await screen.findByText("Tessera is locked")).toBeTruthy();
    expect(api.lockVault).not.toHaveBeenCalled();
  });
});
