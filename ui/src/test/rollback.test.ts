import { cleanup, render } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import RollbackBanner from "../components/RollbackBanner.svelte";
import { mockApi } from "./fixtures";

let api: ReturnType<typeof mockApi>;
beforeEach(() => {
  api = mockApi();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const unlocked = { state: "unlocked", keychainAvailable: false, hasPassword: true, usesKeychain: false, protection: "password", pinSet: false } as const;

describe("older copy of the vault (review #28)", () => {
  it("shows Rust's sentence above the codes", async () => {
    api.vaultStatus.mockResolvedValue({
      ...unlocked,
      rollbackWarning:
        "this vault file is an older copy than one opened on this computer before (save 3, this computer has seen save 5): cloud sync, a backup tool or someone may have put an old version back. Accounts added or keys changed since may be missing; check before relying on it",
    });
    render(RollbackBanner, {});
    await vi.waitFor(() =>
      expect(document.getElementById("rollback-banner")?.textContent).toContain(
        "This vault file is an older copy than one opened on this computer before (save 3",
      ),
    );
    expect(document.getElementById("rollback-banner")?.getAttribute("role")).toBe("status");
  });

  it("shows nothing for a current vault or when the status cannot be read", async () => {
    api.vaultStatus.mockResolvedValue({ ...unlocked, rollbackWarning: null });
    render(RollbackBanner, {});
    await new Promise((r) => setTimeout(r, 0));
    expect(document.getElementById("rollback-banner")).toBeNull();
    cleanup();
    api.vaultStatus.mockRejectedValue("Tessera is locked; unlock it first");
    render(RollbackBanner, {});
    await new Promise((r) => setTimeout(r, 0));
    expect(document.getElementById("rollback-banner")).toBeNull();
  });
});
