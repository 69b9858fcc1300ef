// Commands for locking, protection levels, the quick-unlock PIN and the trash's "Delete forever".
// Spread into `api` (api.ts), kept here so the shared api.ts changes by two lines only.
import { invoke } from "./ipc";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

import type { ProtectionLevel } from "./ipc.gen";
export type { ProtectionLevel };

export const lockApi = {
  /** The person is using the app: Rust moves its auto-lock deadline on. Cheap; throttle anyway. */
  reportActivity: () => invoke<void>("report_activity"),
  /** Rust locked the vault (idle deadline, suspend, screen lock, or a Lock elsewhere). */
  onLocked: (f: (reason: string) => void): Promise<UnlistenFn> =>
    listen<string>("tessera://locked", (e) => f(e.payload)),
  createVaultWith: (password: string | null, level: ProtectionLevel) =>
    invoke<void>("create_vault", { password, level }),
  setProtection: (level: ProtectionLevel, password: string | null, current: string | null) =>
    invoke<void>("set_protection", { level, password, current }),
  setPin: (pin: string) => invoke<void>("set_pin", { pin }),
  clearPin: () => invoke<void>("clear_pin"),
  unlockWithPin: (pin: string) => invoke<void>("unlock_with_pin", { pin }),
  purgeAccount: (id: string) => invoke<void>("purge_account", { id }),
  emptyTrash: () => invoke<number>("empty_trash"),
  /** Days deleted accounts stay in the trash before they are deleted for good (the vault's setting). */
  trashKeepDays: () => invoke<number>("trash_keep_days"),
  setTrashKeepDays: (days: number) => invoke<number>("set_trash_keep_days", { days }),
};
