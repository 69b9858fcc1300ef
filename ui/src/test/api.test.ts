import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { api } from "../lib/api";

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

  it("passes the shell's error sentences through unchanged", async () => {
    mockIPC(() => {
      throw "wrong password";
    });
    await expect(api.unlockVault("x")).rejects.toBe("wrong password");
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
