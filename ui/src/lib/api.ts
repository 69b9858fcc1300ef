// The one place that talks to the Rust shell. Components import these functions and types and never
// spell a command name, so tests can replace this module and the IPC surface stays reviewable.
import { invoke, toFailure } from "./ipc";
import { plainSentence } from "./sentence";
import { lockApi } from "./lock";
// The IPC types are generated from the Rust ones (src-tauri/src/dto/typescript.rs); never typed here.
import type {
  EnvironmentKind,
  OtpKind,
  Algorithm,
  ProtectionLevel,
  DuplicatePolicy,
  OnDuplicate,
  ExportFormat,
  Theme,
  SortOrder,
  Environment,
  AccountView,
  CodeView,
  CodesSnapshot,
  VaultStatus,
  ManualFields,
  ManualCheck,
  Draft,
  BatchInfo,
  ScanOutcome,
  Preview,
  AddRequest,
  AddOutcome,
  ConflictsView,
  AccountEdit,
  TrashedView,
  Settings,
  LastBackup,
  ImportFormatOption,
  ImportFileInfo,
  ImportRow,
  ImportPreview,
  ImportChoice,
  ImportCounts,
  ExportRequest,
  ExportResult,
  Measurement,
  ClockSettings,
  CorrectionView,
  ClockAssessment,
  ClockStatus,
  ServerResult,
  ClockCheck,
  OfflineOffset,
  RecoveryInfo,
  ParsedBlock,
  RevealedCode,
  RevealedCodes,
  AccountDetails,
  ReplaceOutcome,
  PhoneEnrolment,
  PolicyView,
  StartAnswer,
  QuickRow,
  DesktopSettings,
  DesktopAnswer,
} from "./ipc.gen";
export type * from "./ipc.gen";
export { IpcFailure, errorKind, onFailure } from "./ipc";
import { backupsApi } from "./backups";

// ----- Import / Export -----

export const DEFAULT_SETTINGS: Settings = { autoLockMinutes: 5, clipboardSeconds: 30, hideCodes: false, theme: "system", sort: "own" };

// Clock skew, recovery codes and replacing a key (issue 8).
export type RecoveryStoreMode = "refuse" | "replace" | "append";

/**
 * The sentence to show for a failed command (capital, full stop, no jargon). Empty for a cancelled one:
 * nobody asked for a sentence about work that was stopped on purpose.
 */
export function errorMessage(e: unknown): string {
  const failure = toFailure(e);
  return failure.kind === "cancelled" ? "" : plainSentence(failure.message);
}

export const api = {
  policyStatus: () => invoke<PolicyView>("policy_status"),
  /** require_password and a keychain-only vault: open it and set an app password in one step. */
  unlockAndSetPassword: (password: string) => invoke<void>("unlock_and_set_password", { password }),
  vaultStatus: () => invoke<VaultStatus>("vault_status"),
  createVault: (password: string | null) => invoke<void>("create_vault", { password }),
  unlockVault: (password: string | null) => invoke<void>("unlock_vault", { password }),
  lockVault: () => invoke<void>("lock_vault"),
  ...lockApi,
  ...backupsApi,
  /** The core's floor for a new app password: null when strong enough, else what to do. */
  vaultPasswordProblem: (password: string) => invoke<string | null>("vault_password_problem", { password }),
  setPassword: (current: string | null, password: string) => invoke<void>("set_password", { current, password }),

  /** The accounts in the core's `sort` order; Manage's own order without one. */
  listAccounts: (sort?: SortOrder) => invoke<AccountView[]>("list_accounts", { sort: sort ?? null }),
  currentCodes: () => invoke<CodesSnapshot>("current_codes"),
  copyCode: (id: string) => invoke<number>("copy_code", { id }),

  checkManual: (fields: ManualFields) => invoke<ManualCheck>("check_manual", { fields }),
  stageManual: (fields: ManualFields) => invoke<Draft>("stage_manual", { fields }),
  parseText: (text: string) => invoke<ScanOutcome>("parse_text", { text }),
  scanImage: (bytes: Uint8Array) => invoke<ScanOutcome>("scan_image", bytes),
  /** A pasted screenshot the webview got no data for: Rust reads the system clipboard's picture. */
  scanClipboardImage: () => invoke<ScanOutcome>("scan_clipboard_image"),
  scanFrame: (gray: Uint8Array, width: number, height: number) =>
    invoke<ScanOutcome | null>("scan_frame", gray, {
      headers: { "x-frame-width": String(width), "x-frame-height": String(height) },
    }),
  draftPreview: (draftId: string) => invoke<Preview>("draft_preview", { draftId }),
  discardDrafts: () => invoke<void>("discard_drafts"),
  /**
   * The core's conflict rule for what the review and edit forms show (twins, clash, must name its
   * environment). `except`: the account being edited, which is not its own twin.
   */
  checkConflicts: (issuer: string, account: string, environment: Environment, except: string | null = null) =>
    invoke<ConflictsView>("check_conflicts", { issuer, account, environment, except }),
  addAccount: (request: AddRequest) => invoke<AddOutcome>("add_account", { request }),

  editAccount: (id: string, edit: AccountEdit) => invoke<void>("edit_account", { id, edit }),
  deleteAccount: (id: string) => invoke<void>("delete_account", { id }),
  listTrash: () => invoke<TrashedView[]>("list_trash"),
  restoreAccount: (id: string) => invoke<void>("restore_account", { id }),
  reorderAccounts: (ids: string[]) => invoke<void>("reorder_accounts", { ids }),

  getSettings: () => invoke<Settings>("get_settings"),
  saveSettings: (settings: Settings) => invoke<void>("save_settings", { settings }),

  clockStatus: () => invoke<ClockStatus>("clock_status"),
  checkClock: () => invoke<ClockCheck>("check_clock"),
  saveClockSettings: (networkCheck: boolean, servers: string[]) =>
    invoke<ClockStatus>("save_clock_settings", { networkCheck, servers }),
  setClockCorrection: (enabled: boolean) => invoke<ClockStatus>("set_clock_correction", { enabled }),
  applyClockOffset: (offsetMs: number, source: string) => invoke<ClockStatus>("apply_clock_offset", { offsetMs, source }),
  clockOffsetFromCode: (id: string, code: string) => invoke<OfflineOffset>("clock_offset_from_code", { id, code }),
  clockOffsetFromTime: (time: string) => invoke<OfflineOffset>("clock_offset_from_time", { time }),

  accountDetails: (id: string) => invoke<AccountDetails>("account_details", { id }),
  /** One account's enrolment QR code and key for a phone (after the app password when there is one). */
  showForPhone: (id: string, password: string | null) => invoke<PhoneEnrolment>("show_for_phone", { id, password }),
  recoveryInfo: (id: string) => invoke<RecoveryInfo>("recovery_info", { id }),
  parseRecoveryCodes: (text: string) => invoke<ParsedBlock>("parse_recovery_codes", { text }),
  storeRecoveryCodes: (id: string, text: string, mode: RecoveryStoreMode) =>
    invoke<RecoveryInfo>("store_recovery_codes", { id, text, mode }),
  revealRecoveryCodes: (id: string, password: string | null) => invoke<RevealedCodes>("reveal_recovery_codes", { id, password }),
  hideRecoveryCodes: (id: string) => invoke<void>("hide_recovery_codes", { id }),
  copyRecoveryCode: (id: string, index: number) => invoke<number>("copy_recovery_code", { id, index }),
  markRecoveryCodeUsed: (id: string, index: number) => invoke<RevealedCodes>("mark_recovery_code_used", { id, index }),
  unmarkRecoveryCodeUsed: (id: string, index: number) => invoke<RevealedCodes>("unmark_recovery_code_used", { id, index }),
  replaceKey: (id: string, draftId: string) => invoke<ReplaceOutcome>("replace_key", { id, draftId }),
  confirmKey: (id: string) => invoke<void>("confirm_key", { id }),
  revertKey: (id: string) => invoke<void>("revert_key", { id }),
  /** The import formats, from the core's registry. */
  importFormats: () => invoke<ImportFormatOption[]>("import_formats"),
  importLoad: (bytes: Uint8Array, fileName: string) =>
    invoke<ImportFileInfo>("import_load", bytes, { headers: { "x-file-name": encodeURIComponent(fileName) } }),
  importPreview: (format: string | null, password: string | null) =>
    invoke<ImportPreview>("import_preview", { format, password }),
  importCommit: (choices: ImportChoice[]) => invoke<ImportCounts>("import_commit", { choices }),
  importCancel: () => invoke<void>("import_cancel"),
  backupPasswordProblem: (password: string) => invoke<string | null>("backup_password_problem", { password }),
  /** Rust opens the Save dialog (and, for unencrypted formats, the native warning) itself; `null` when the
   *  person cancelled either one: nothing was written. */
  exportVault: (request: ExportRequest) => invoke<ExportResult | null>("export_vault", { request }),
  startSession: () => invoke<StartAnswer>("start_session"),
  setFavourite: (id: string, favourite: boolean) => invoke<void>("set_favourite", { id, favourite }),
  quickFind: (query: string) => invoke<QuickRow[]>("quick_find", { query }),
  quickCopy: (id: string) => invoke<number>("quick_copy", { id }),
  hideQuick: () => invoke<void>("hide_quick"),
  showMain: () => invoke<void>("show_main"),
  quickReady: () => invoke<void>("quick_ready"),
  refreshTray: () => invoke<void>("refresh_tray"),
  getDesktopSettings: () => invoke<DesktopAnswer>("get_desktop_settings"),
  saveDesktopSettings: (desktop: DesktopSettings) => invoke<DesktopAnswer>("save_desktop_settings", { desktop }),
};

// Start-up, favourites, tray and quick copy (issue 12).

export type Api = typeof api;
