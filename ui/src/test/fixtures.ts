import { vi } from "vitest";
import { api, type AccountView, type CodesSnapshot } from "../lib/api";

export const live: AccountView = {
  id: "a1", issuer: "NHS Spine", account: "alice", environment: { kind: "live" }, note: "", kind: "totp", digits: 6, period: 30,
};
export const sandpit: AccountView = {
  id: "a2", issuer: "NHS Spine", account: "alice", environment: { kind: "sandpit" }, note: "", kind: "totp", digits: 6, period: 30,
};
export const custom: AccountView = {
  id: "a3", issuer: "EPR", account: "bob@trust.nhs.uk", environment: { kind: "custom", name: "Training" }, note: "", kind: "totp", digits: 6, period: 30,
};
export const plain: AccountView = {
  id: "a4", issuer: "GitHub", account: "carol", environment: { kind: "none" }, note: "", kind: "totp", digits: 8, period: 30,
};

/** Codes valid until `untilMs`; the next codes are the current ones reversed. */
export function snapshot(untilMs: number, nowMs = untilMs - 20_000): CodesSnapshot {
  const codes: Record<string, string> = { a1: "123456", a2: "654321", a3: "000111", a4: "12345678" };
  return {
    nowMs,
    codes: Object.entries(codes).map(([id, current]) => ({
      id, current, next: current.split("").reverse().join(""), validUntilMs: untilMs, period: 30,
    })),
  };
}

/** Replaces every api function with a mock that rejects unless a test says otherwise. */
export function mockApi() {
  for (const key of Object.keys(api) as (keyof typeof api)[]) {
    vi.spyOn(api, key).mockImplementation((() => Promise.reject(new Error(`unexpected call ${key}`))) as never);
  }
  // Strong enough unless a test says otherwise (the rule itself is the core's, tested in Rust).
  vi.mocked(api).vaultPasswordProblem.mockResolvedValue(null);
  // The vault's default, for screens that show the trash.
  vi.mocked(api).trashKeepDays.mockResolvedValue(30);
  return vi.mocked(api);
}
