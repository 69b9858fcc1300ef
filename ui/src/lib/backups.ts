// Settings → Backups (issue 15): automatic backups, "Back up now", "Test a restore", the emergency sheet, and the system
// folder picker / Save dialog (Tauri's dialog plugin). Spread into `api` (api.ts) so components and
// tests reach them like every other command; the rules (password strength, when to warn) are Rust's.
import { invoke } from "./ipc";
import { open, save } from "@tauri-apps/plugin-dialog";

import type { BackupStatus, EmergencySheet, RestoreTest } from "./ipc.gen";
export type { BackupStatus, EmergencySheet, RestoreTest };

/** The picked path, or null when the person cancelled (or no dialog is available). */
async function pickFolder(title: string, defaultPath?: string): Promise<string | null> {
  const chosen = await open({ directory: true, multiple: false, title, defaultPath, canCreateDirectories: true });
  return typeof chosen === "string" ? chosen : null;
}

async function pickBackupFile(title: string, defaultPath?: string): Promise<string | null> {
  const chosen = await open({
    directory: false,
    multiple: false,
    title,
    defaultPath,
    filters: [{ name: "Tessera backup", extensions: ["tessera"] }],
  });
  return typeof chosen === "string" ? chosen : null;
}

async function pickSavePath(title: string, defaultPath: string, extension: string): Promise<string | null> {
  const chosen = await save({ title, defaultPath, filters: [{ name: extension.toUpperCase(), extensions: [extension] }] });
  return chosen ?? null;
}

export const backupsApi = {
  backupStatus: () => invoke<BackupStatus>("backup_status"),
  backupTurnOn: (folder: string, keep: number, password: string, confirmPassword: string) =>
    invoke<BackupStatus>("backup_turn_on", { folder, keep, password, confirmPassword }),
  backupTurnOff: () => invoke<BackupStatus>("backup_turn_off"),
  backupNow: () => invoke<BackupStatus>("backup_now"),
  backupTestRestore: (path: string | null, password: string) => invoke<RestoreTest>("backup_test_restore", { path, password }),
  /** Writes the printable emergency sheet (HTML) to a new file; `withSecrets` adds QR codes and unused
   *  recovery codes and needs the app password when one is set. */
  emergencySheet: (path: string, withSecrets: boolean, password: string | null) =>
    invoke<EmergencySheet>("emergency_sheet", { path, withSecrets, password }),
  pickFolder,
  pickBackupFile,
  pickSavePath,
};

/** The codes screen's backup warning and reminder were dismissed (until the app restarts). */
export const backupNotice = { dismissed: false, reminderDismissed: false };
