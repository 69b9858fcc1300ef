import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { api, errorKind, errorMessage, onFailure } from "../lib/api";
import { IpcFailure } from "../lib/ipc";

afterEach(() => clearMocks());

describe("the IPC contract with src-tauri/src/commands", () => {
  it("sends each call to its command with the argument names the Rust side declares", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return null;
    });
    await api.vaultStatus();
    await api.createVault(null);
    await api.unlockVault("pw");
    await api.lockVault();
    await api.setPassword("old", "new");
    await api.copyCode("id1");
    await api.draftPreview("d1");
    await api.addAccount({ draftId: "d1", issuer: "I", account: "A", environment: { kind: "live" }, note: "", policy: "refuse" });
    await api.editAccount("id1", { issuer: "I", account: "A", environment: { kind: "none" }, note: "n" });
    await api.reorderAccounts(["b", "a"]);
    await api.parseText("otpauth://x");
    const names = calls.map(([c]) => c);
    expect(names).toEqual([
      "vault_status", "create_vault", "unlock_vault", "lock_vault", "set_password", "copy_code",
      "draft_preview", "add_account", "edit_account", "reorder_accounts", "parse_text",
    ]);
    expect(calls[1][1]).toEqual({ password: null });
    expect(calls[4][1]).toEqual({ current: "old", password: "new" });
    expect(calls[6][1]).toEqual({ draftId: "d1" });
    expect(calls[7][1]).toMatchObject({ request: { draftId: "d1", policy: "refuse", environment: { kind: "live" } } });
    expect(calls[8][1]).toMatchObject({ id: "id1", edit: { note: "n" } });
  });

  it("sends images and camera frames as raw bytes", async () => {
    const seen: { cmd: string; body: unknown; headers: unknown }[] = [];
    mockIPC((cmd, args, options) => {
      seen.push({ cmd, body: args, headers: options?.headers });
      return null;
    });
    await api.scanImage(new Uint8Array([1, 2, 3]));
    await api.scanFrame(new Uint8Array(4), 2, 2);
    expect(seen[0].cmd).toBe("scan_image");
    expect(seen[0].body).toBeInstanceOf(Uint8Array);
    expect(seen[1].cmd).toBe("scan_frame");
    expect(seen[1].body).toBeInstanceOf(Uint8Array);
  });

  it("turns the shell's { kind, message } into an IpcFailure whose text is the sentence, unchanged", async () => {
    mockIPC(() => {
      throw { kind: "wrongPassword", message: "wrong password" };
    });
    const failure = await api.unlockVault("x").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(IpcFailure);
    expect(failure).toMatchObject({ kind: "wrongPassword", message: "wrong password" });
    expect(String(failure)).toBe("wrong password");
    expect(errorKind(failure)).toBe("wrongPassword");
    expect(errorMessage(failure)).toBe("Wrong password.");
  });

  it("every api module converts: lock.ts and backups.ts calls reject typed too", async () => {
    mockIPC(() => {
      throw { kind: "policy", message: "Your organisation's policy does not allow turning off automatic backups." };
    });
    await expect(api.backupTurnOff()).rejects.toMatchObject({ kind: "policy" });
    await expect(api.setPin("123456")).rejects.toMatchObject({ kind: "policy" });
  });

  it("anything else that rejects (a bare sentence, Tauri's own refusal, an unknown kind) is kind other", async () => {
    mockIPC(() => {
      throw "invalid args `id` for command `copy_code`: missing field";
    });
    await expect(api.copyCode("x")).rejects.toMatchObject({ kind: "other", message: "invalid args `id` for command `copy_code`: missing field" });
    mockIPC(() => {
      throw { kind: "somethingNew", message: "m" };
    });
    const failure = await api.copyCode("x").catch((e: unknown) => e);
    expect(errorKind(failure)).toBe("other");
    expect(errorKind(new Error("boom"))).toBe("other");
    expect(errorKind("plain")).toBe("other");
  });

  it("a cancelled command shows no sentence", () => {
    expect(errorMessage(new IpcFailure("cancelled", "stopped: Tessera is closing"))).toBe("");
    expect(errorMessage({ kind: "badInput", message: "that is not a code" })).toBe("That is not a code.");
  });

  it("tells the listeners of a kind, whichever call failed", async () => {
    let locked = 0;
    let changed = 0;
    const stopLocked = onFailure("locked", () => locked++);
    const stopChanged = onFailure("changedOnDisk", () => changed++);
    mockIPC(() => {
      throw { kind: "locked", message: "Tessera is locked; unlock it first" };
    });
    await api.listAccounts().catch(() => {});
    await api.emptyTrash().catch(() => {});
    expect([locked, changed]).toEqual([2, 0]);
    stopLocked();
    await api.listAccounts().catch(() => {});
    expect(locked).toBe(2);
    stopChanged();
  });

  it("asks show_for_phone with the account id and the app password (null when there is none)", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return null;
    });
    await api.showForPhone("id1", "pw");
    await api.showForPhone("id2", null);
    expect(calls).toEqual([
      ["show_for_phone", { id: "id1", password: "pw" }],
      ["show_for_phone", { id: "id2", password: null }],
    ]);
  });
});
