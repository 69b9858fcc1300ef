// Events from the Rust shell: the vault was opened, locked or changed outside this window (tray menu,
// another window, the CLI), and the quick-copy window was shown again.
import { listen } from "@tauri-apps/api/event";

export const VAULT_CHANGED = "vault-changed";
export const QUICK_OPEN = "quick-open";

/** Subscribes; returns the unsubscribe function. Outside the app (unit tests) it does nothing. */
export function onShellEvent(name: string, cb: () => void): () => void {
  let stop: (() => void) | null = null;
  let cancelled = false;
  try {
    listen(name, () => cb())
      .then((un) => (cancelled ? un() : (stop = un)))
      .catch(() => {});
  } catch {
    // No Tauri here.
  }
  return () => {
    cancelled = true;
    stop?.();
  };
}
