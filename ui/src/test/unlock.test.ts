import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import FirstRun from "../screens/FirstRun.svelte";
import Unlock from "../screens/Unlock.svelte";
import { mockApi } from "./fixtures";

let api: ReturnType<typeof mockApi>;
beforeEach(() => (api = mockApi()));
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("first run", () => {
  it("creates a keychain vault by default and explains what a password adds", async () => {
    api.createVaultWith.mockResolvedValue(undefined);
    const oncreated = vi.fn();
    render(FirstRun, { status: { state: "absent", keychainAvailable: true, hasPassword: false, usesKeychain: false, protection: "", pinSet: false }, oncreated });
    expect(screen.getByText(/still opens your codes if the keychain is reset/)).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Create my vault" }));
    expect(api.createVaultWith).toHaveBeenCalledWith(null, "keychain");
    await vi.waitFor(() => expect(oncreated).toHaveBeenCalled());
  });

  it("shows the core's sentence for a weak password and needs the two to match", async () => {
    api.createVaultWith.mockResolvedValue(undefined);
    api.vaultPasswordProblem.mockImplementation(async (p: string) =>
      p === "short" ? "the vault password must have at least 10 characters; a few words make a strong one" : null,
    );
    render(FirstRun, { status: { state: "absent", keychainAvailable: true, hasPassword: false, usesKeychain: false, protection: "", pinSet: false }, oncreated: () => {} });
    await fireEvent.click(screen.getByLabelText(/Password \(recommended on shared computers\)/));
    const create = screen.getByRole("button", { name: "Create my vault" }) as HTMLButtonElement;
    await fireEvent.input(screen.getByLabelText("App password"), { target: { value: "short" } });
    expect(await screen.findByText("The vault password must have at least 10 characters; a few words make a strong one.")).toBeTruthy();
    expect(create.disabled).toBe(true);
    expect(api.vaultPasswordProblem).toHaveBeenCalledWith("short");
    await fireEvent.input(screen.getByLabelText("App password"), { target: { value: "correct horse" } });
    await fireEvent.input(screen.getByLabelText("Type it again"), { target: { value: "correct hors" } });
    expect(screen.getByText("The two passwords are different.")).toBeTruthy();
    expect(create.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText("Type it again"), { target: { value: "correct horse" } });
    expect(create.disabled).toBe(false);
    await fireEvent.click(create);
    expect(api.createVaultWith).toHaveBeenCalledWith("correct horse", "password");
  });

  it("requires a password when there is no keychain", () => {
    render(FirstRun, { status: { state: "absent", keychainAvailable: false, hasPassword: false, usesKeychain: false, protection: "", pinSet: false }, oncreated: () => {} });
    expect(screen.getByText(/keychain is not available/)).toBeTruthy();
    expect(screen.getByLabelText("App password")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Create my vault" }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("unlock", () => {
  it("shows the shell's message for a wrong password and unlocks with the right one", async () => {
    api.unlockVault.mockRejectedValueOnce("wrong password").mockResolvedValueOnce(undefined);
    const onunlocked = vi.fn();
    render(Unlock, { status: { state: "locked", keychainAvailable: true, hasPassword: true, usesKeychain: false, protection: "password", pinSet: false }, onunlocked });
    const field = screen.getByLabelText("App password");
    await fireEvent.input(field, { target: { value: "nope" } });
    await fireEvent.click(screen.getByRole("button", { name: "Unlock" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Wrong password.");
    await fireEvent.input(field, { target: { value: "correct horse" } });
    await fireEvent.click(screen.getByRole("button", { name: "Unlock" }));
    await vi.waitFor(() => expect(onunlocked).toHaveBeenCalled());
    expect(api.unlockVault).toHaveBeenLastCalledWith("correct horse");
  });

  it("at the keychain level says the codes are only hidden, and Show codes opens them", async () => {
    api.unlockVault.mockResolvedValue(undefined);
    render(Unlock, { status: { state: "locked", keychainAvailable: true, hasPassword: false, usesKeychain: true, protection: "keychain", pinSet: false }, onunlocked: () => {} });
    expect(screen.getByRole("heading", { name: "Codes hidden" })).toBeTruthy();
    expect(screen.getByText(/Anyone using this computer login can show them/)).toBeTruthy();
    expect(screen.getByText(/Settings → Protection/)).toBeTruthy();
    expect(screen.queryByLabelText("App password")).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Show codes" }));
    expect(api.unlockVault).toHaveBeenCalledWith(null);
  });
});
