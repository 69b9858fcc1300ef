// Issue 14 in the UI: protection levels at first run and in Settings, the PIN, and the trash's "Delete forever".
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import FirstRun from "../screens/FirstRun.svelte";
import Unlock from "../screens/Unlock.svelte";
import Manage from "../screens/Manage.svelte";
import ProtectionSettingsCard from "../components/ProtectionSettingsCard.svelte";
import type { PolicyView, VaultStatus } from "../lib/api";
import { orgPolicy } from "../lib/policy.svelte";
import { live, mockApi } from "./fixtures";
import { IpcFailure } from "../lib/ipc";

let api: ReturnType<typeof mockApi>;
beforeEach(() => (api = mockApi()));
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  orgPolicy.view = null;
});

const absent: VaultStatus = { state: "absent", keychainAvailable: true, hasPassword: false, usesKeychain: false, protection: "", pinSet: false };
const locked = (over: Partial<VaultStatus>): VaultStatus => ({
  state: "locked", keychainAvailable: true, hasPassword: true, usesKeychain: false, protection: "password", pinSet: false, ...over,
});
const unlocked = (over: Partial<VaultStatus>): VaultStatus => ({ ...locked(over), state: "unlocked" });

function requirePassword() {
  orgPolicy.view = {
    source: "/etc/tessera/policy.toml", error: null, values: {}, fixed: ["require_password"], warnings: [], plainExportAllowed: true,
    requiresPassword: true, networkClockCheck: true, maxAutoLockMinutes: null, maxClipboardSeconds: null,
  } satisfies PolicyView;
}

async function typePasswords(value = "correct horse") {
  await fireEvent.input(screen.getByLabelText("App password"), { target: { value } });
  await fireEvent.input(screen.getByLabelText("Type it again"), { target: { value } });
}

describe("first run: protection in plain words", () => {
  it("offers both levels and says what the keychain level means", () => {
    render(FirstRun, { status: absent, oncreated: () => {} });
    expect(screen.getByLabelText(/Password \(recommended on shared computers\)/)).toBeTruthy();
    expect(screen.getByLabelText(/This computer's login \(keychain\)/)).toBeTruthy();
    expect(screen.getByText(/Anyone using this computer login can show the codes/)).toBeTruthy();
  });

  it("a locked or refusing keychain is not a dead end: the password level is offered right there", async () => {
    api.createVaultWith
      .mockRejectedValueOnce(
        new IpcFailure("keychainUnavailable", "This computer's keychain is locked or did not answer. Protect the vault with an app password instead."),
      )
      .mockResolvedValueOnce(undefined);
    const oncreated = vi.fn();
    render(FirstRun, { status: absent, oncreated });
    await fireEvent.click(screen.getByRole("button", { name: "Create my vault" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/keychain is locked or did not answer/);
    expect(screen.queryByLabelText(/This computer's login/)).toBeNull();
    expect(screen.getByText(/go on without the keychain/)).toBeTruthy();
    await typePasswords();
    await fireEvent.click(screen.getByRole("button", { name: "Create my vault" }));
    await vi.waitFor(() => expect(oncreated).toHaveBeenCalled());
    expect(api.createVaultWith).toHaveBeenLastCalledWith("correct horse", "password");
  });

  it("library jargon from the keychain also falls back to the password level", async () => {
    api.createVaultWith.mockRejectedValueOnce(new IpcFailure("keychainUnavailable", "SS error: result not returned from SS API"));
    render(FirstRun, { status: absent, oncreated: () => {} });
    await fireEvent.click(screen.getByRole("button", { name: "Create my vault" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).not.toMatch(/SS error/);
    expect(screen.getByLabelText("App password")).toBeTruthy();
  });

  it("another failure (here: a disk error) keeps the keychain choice: only the kind decides", async () => {
    api.createVaultWith.mockRejectedValueOnce(new IpcFailure("other", "could not write /v: the keychain folder is full"));
    render(FirstRun, { status: absent, oncreated: () => {} });
    await fireEvent.click(screen.getByRole("button", { name: "Create my vault" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/Could not write/);
    expect(screen.getByLabelText(/This computer's login \(keychain\)/)).toBeTruthy();
  });

  it("an organisation that requires a password hides the keychain-only choice", async () => {
    requirePassword();
    api.createVaultWith.mockResolvedValue(undefined);
    render(FirstRun, { status: absent, oncreated: () => {} });
    expect(screen.queryByLabelText(/This computer's login/)).toBeNull();
    expect(screen.getByText(/organisation requires an app password/)).toBeTruthy();
    await typePasswords();
    await fireEvent.click(screen.getByRole("button", { name: "Create my vault" }));
    expect(api.createVaultWith).toHaveBeenCalledWith("correct horse", "password");
  });
});

describe("unlock at the password level", () => {
  it("never offers the keychain, even when the keychain answers", () => {
    render(Unlock, { status: locked({ usesKeychain: false }), onunlocked: () => {} });
    expect(screen.getByRole("heading", { name: "Tessera is locked" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: /keychain|Show codes/ })).toBeNull();
  });

  it("asks for the PIN first, shows the tries left, and after three wrong PINs wants the password", async () => {
    api.unlockWithPin
      .mockRejectedValueOnce("wrong PIN; 2 tries left before the app password is needed")
      .mockRejectedValueOnce("wrong PIN; 1 try left before the app password is needed")
      .mockRejectedValueOnce("wrong PIN three times: the PIN is switched off; unlock with your app password");
    render(Unlock, { status: locked({ pinSet: true }), onunlocked: () => {} });
    expect(screen.queryByLabelText("App password")).toBeNull();
    const pin = screen.getByLabelText("Quick-unlock PIN");
    await fireEvent.input(pin, { target: { value: "111111" } });
    await fireEvent.click(screen.getByRole("button", { name: "Unlock" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Wrong PIN; 2 tries left before the app password is needed.");
    await fireEvent.input(screen.getByLabelText("Quick-unlock PIN"), { target: { value: "222222" } });
    await fireEvent.click(screen.getByRole("button", { name: "Unlock" }));
    await vi.waitFor(() => expect(screen.getByRole("alert").textContent).toMatch(/1 try left/));
    await fireEvent.input(screen.getByLabelText("Quick-unlock PIN"), { target: { value: "333333" } });
    await fireEvent.click(screen.getByRole("button", { name: "Unlock" }));
    await vi.waitFor(() => expect(screen.getByRole("alert").textContent).toMatch(/three times/));
    expect(screen.queryByLabelText("Quick-unlock PIN")).toBeNull();
    expect(screen.getByLabelText("App password")).toBeTruthy();
  });

  it("unlocks with the PIN, or with the password on request", async () => {
    api.unlockWithPin.mockResolvedValue(undefined);
    const onunlocked = vi.fn();
    render(Unlock, { status: locked({ pinSet: true }), onunlocked });
    await fireEvent.input(screen.getByLabelText("Quick-unlock PIN"), { target: { value: "246810" } });
    await fireEvent.click(screen.getByRole("button", { name: "Unlock" }));
    await vi.waitFor(() => expect(onunlocked).toHaveBeenCalled());
    expect(api.unlockWithPin).toHaveBeenCalledWith("246810");
    cleanup();
    render(Unlock, { status: locked({ pinSet: true }), onunlocked });
    await fireEvent.click(screen.getByRole("button", { name: "Use my password instead" }));
    expect(screen.getByLabelText("App password")).toBeTruthy();
  });
});

describe("Settings → Protection", () => {
  it("moves a keychain vault to the password level with a new password typed twice", async () => {
    api.setProtection.mockResolvedValue(undefined);
    const onchanged = vi.fn();
    render(ProtectionSettingsCard, { status: unlocked({ protection: "keychain", hasPassword: false, usesKeychain: true }), onchanged });
    expect(screen.getByText(/anyone using this computer login can show the codes/)).toBeTruthy();
    await fireEvent.input(screen.getByLabelText("New app password"), { target: { value: "correct horse" } });
    await fireEvent.input(screen.getByLabelText("New app password again"), { target: { value: "correct horsf" } });
    await fireEvent.click(screen.getByRole("button", { name: "Use the password level" }));
    expect(screen.getByRole("alert").textContent).toBe("The two passwords are different.");
    await fireEvent.input(screen.getByLabelText("New app password again"), { target: { value: "correct horse" } });
    await fireEvent.click(screen.getByRole("button", { name: "Use the password level" }));
    await vi.waitFor(() => expect(onchanged).toHaveBeenCalled());
    expect(api.setProtection).toHaveBeenCalledWith("password", "correct horse", null);
  });

  it("asks the current password to leave the password level, and shows the shell's sentence", async () => {
    api.setProtection.mockRejectedValueOnce("wrong password");
    render(ProtectionSettingsCard, { status: unlocked({}), onchanged: () => {} });
    expect(screen.getByText(/Lock really locks/)).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Use this computer's login" }));
    expect(screen.getByRole("alert").textContent).toBe("Type your current app password.");
    await fireEvent.input(screen.getByLabelText("Current app password"), { target: { value: "nope" } });
    await fireEvent.click(screen.getByRole("button", { name: "Use this computer's login" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Wrong password.");
    expect(api.setProtection).toHaveBeenCalledWith("keychain", null, "nope");
  });

  it("an organisation that requires a password keeps the password level", () => {
    requirePassword();
    render(ProtectionSettingsCard, { status: unlocked({}), onchanged: () => {} });
    expect(screen.queryByRole("button", { name: "Use this computer's login" })).toBeNull();
    expect(screen.getByText(/Set by your organisation/)).toBeTruthy();
  });

  it("sets a PIN of at least 6 digits, and switches it off", async () => {
    api.setPin.mockResolvedValue(undefined);
    api.clearPin.mockResolvedValue(undefined);
    const onchanged = vi.fn();
    render(ProtectionSettingsCard, { status: unlocked({}), onchanged });
    await fireEvent.input(screen.getByLabelText("PIN"), { target: { value: "12345" } });
    await fireEvent.input(screen.getByLabelText("PIN again"), { target: { value: "12345" } });
    await fireEvent.click(screen.getByRole("button", { name: "Set PIN" }));
    expect(screen.getByRole("alert").textContent).toMatch(/at least 6 digits/);
    expect(api.setPin).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByLabelText("PIN"), { target: { value: "135790" } });
    await fireEvent.input(screen.getByLabelText("PIN again"), { target: { value: "135790" } });
    await fireEvent.click(screen.getByRole("button", { name: "Set PIN" }));
    await vi.waitFor(() => expect(api.setPin).toHaveBeenCalledWith("135790"));
    cleanup();
    render(ProtectionSettingsCard, { status: unlocked({ pinSet: true }), onchanged });
    await fireEvent.click(screen.getByRole("button", { name: "Switch the PIN off" }));
    await vi.waitFor(() => expect(api.clearPin).toHaveBeenCalled());
  });

  it("offers no PIN at the keychain level", () => {
    render(ProtectionSettingsCard, { status: unlocked({ protection: "keychain", usesKeychain: true }), onchanged: () => {} });
    expect(screen.queryByRole("button", { name: "Set PIN" })).toBeNull();
  });
});

describe("trash: Delete forever and Empty trash", () => {
  const trashed = [
    { id: "a1", issuer: "NHS Spine", account: "alice", environment: live.environment, deletedAtMs: Date.now() },
    { id: "a2", issuer: "NHS Spine", account: "alice", environment: { kind: "sandpit" as const }, deletedAtMs: Date.now() },
  ];

  it("asks once more, naming the environment, before deleting one forever", async () => {
    api.listAccounts.mockResolvedValue([]);
    api.listTrash.mockResolvedValueOnce(trashed).mockResolvedValue([trashed[1]]);
    api.purgeAccount.mockResolvedValue(undefined);
    render(Manage, { ondone: () => {} });
    await fireEvent.click(await screen.findByRole("button", { name: "Delete forever: NHS Spine alice, Live environment" }));
    const dialog = screen.getByRole("alertdialog");
    expect(dialog.textContent).toMatch(/Live environment/);
    expect(dialog.querySelector(".env-live")).toBeTruthy();
    expect(api.purgeAccount).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole("button", { name: "Delete forever" }));
    await vi.waitFor(() => expect(api.purgeAccount).toHaveBeenCalledWith("a1"));
  });

  it("empties the trash after a confirmation that says how many", async () => {
    api.listAccounts.mockResolvedValue([]);
    api.listTrash.mockResolvedValueOnce(trashed).mockResolvedValue([]);
    api.emptyTrash.mockResolvedValue(2);
    render(Manage, { ondone: () => {} });
    await fireEvent.click(await screen.findByRole("button", { name: "Empty trash" }));
    expect(screen.getByRole("alertdialog").textContent).toMatch(/2 accounts are deleted forever/);
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(api.emptyTrash).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole("button", { name: "Empty trash" }));
    await fireEvent.click(screen.getByRole("button", { name: "Delete 2 forever" }));
    await vi.waitFor(() => expect(api.emptyTrash).toHaveBeenCalled());
    expect(await screen.findByText(/The trash is empty/)).toBeTruthy();
  });
});
