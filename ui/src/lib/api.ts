// The one place that talks to the Rust shell. Components import these functions and types and never
// spell a command name, so tests can replace this module and the IPC surface stays reviewable.
import { invoke } from "@tauri-apps/api/core";
import { plainSentence } from "./sentence";

export type EnvironmentKind = "none" | "live" | "sandpit" | "custom";
export interface Environment {
  kind: EnvironmentKind;
  /** Only for `custom`: the name people gave it ("Training", "UAT"). */
  name?: string;
}
export type OtpKind = "totp" | "hotp" | "steam";
export type Algorithm = "SHA1" | "SHA256" | "SHA512";

export interface AccountView {
  id: string;
  issuer: string;
  account: string;
  environment: Environment;
  note: string;
  kind: OtpKind;
  digits: number;
  period: number;
  /** Shown first on the codes screen and in the tray menu. */
  favourite?: boolean;
  /** HOTP: the counter the next code is made from (0 for time-based kinds). */
  counter?: number;
}

export interface CodeView {
  id: string;
  /** The code without spaces, exactly what gets copied. */
  current: string;
  /** The code after the next period boundary (time-based kinds only). */
  next: string | null;
  /** Unix time in ms when `current` stops being valid; null for HOTP. */
  validUntilMs: number | null;
  period: number | null;
  /** While a replaced key waits for confirmation: the previous key's code. */
  previous?: string | null;
}

export interface CodesSnapshot {
  nowMs: number;
  codes: CodeView[];
  /** Set while codes are corrected for a measured clock offset. */
  correction?: CorrectionView | null;
}

export interface VaultStatus {
  state: "absent" | "locked" | "unlocked";
  /** Whether the system keychain answered when asked. */
  keychainAvailable: boolean;
  /** Whether the vault can be opened with an app password. */
  hasPassword: boolean;
  /** Whether the vault can be opened through the keychain. */
  usesKeychain: boolean;
}

export interface ManualFields {
  issuer: string;
  account: string;
  secret: string;
  kind: OtpKind;
  algorithm: Algorithm;
  digits: number;
  period: number;
  counter: number;
}

export interface ManualCheck {
  ok: boolean;
  error: string | null;
  warnings: string[];
  preview: string | null;
}

/** An account read from a QR code, a link or typed by hand, held in Rust until it is saved or discarded. */
export interface Draft {
  draftId: string;
  issuer: string;
  account: string;
  kind: OtpKind;
  algorithm: Algorithm;
  digits: number;
  period: number;
}

export interface BatchInfo {
  /** 1-based position of this QR code in a Google Authenticator export. */
  index: number;
  size: number;
  id: number;
}

export interface ScanOutcome {
  drafts: Draft[];
  batch: BatchInfo | null;
}

export interface Preview {
  code: string;
  validUntilMs: number | null;
}

export type DuplicatePolicy = "refuse" | "replace" | "keepBoth";

export interface AddRequest {
  draftId: string;
  issuer: string;
  account: string;
  environment: Environment;
  note: string;
  policy: DuplicatePolicy;
}

export type AddOutcome =
  | { status: "added"; id: string; warnings?: string[] }
  | { status: "duplicate"; existing: AccountView[]; sameEnvironment: boolean };

export interface AccountEdit {
  issuer: string;
  account: string;
  environment: Environment;
  note: string;
  /** When the new names and environment are taken by another account; absent: refuse. */
  onDuplicate?: EditDuplicate;
  /** HOTP only: the counter for the next code. */
  counter?: number;
}
export type EditDuplicate = "refuse" | "replace" | "keepBoth";

export interface TrashedView {
  id: string;
  issuer: string;
  account: string;
  environment: Environment;
  deletedAtMs: number | null;
}

export type Theme = "system" | "light" | "dark";
export interface Settings {
  autoLockMinutes: number;
  clipboardSeconds: number;
  hideCodes: boolean;
  theme: Theme;
  /** Recorded by the app after a verified Tessera backup; the settings form never changes it. */
  lastVerifiedBackup?: LastBackup | null;
}

export interface LastBackup {
  atMs: number;
  accounts: number;
  path: string;
}

// ----- Import / Export -----
export interface ImportFileInfo {
  fileName: string;
  size: number;
  detectedFormat: string | null;
  needsPassword: boolean;
}
export interface ImportRow {
  index: number;
  issuer: string;
  account: string;
  kind: OtpKind;
  /** "TOTP · SHA1 · 6 digits · 30 s"; never the key. */
  summary: string;
  suggestedEnvironment: Environment;
  hasNote: boolean;
  recoveryCodes: number;
  recoveryCodesLeft: number;
  duplicates: AccountView[];
  sameAsRow: number | null;
}
export interface ImportPreview {
  fileName: string;
  format: string;
  formatName: string;
  needsPassword: boolean;
  entries: ImportRow[];
  errors: string[];
  /** About the file as a whole (a Google export with QR codes missing), never about one entry. */
  warnings?: string[];
}
export type OnDuplicate = "skip" | "replace" | "keepBoth";
export interface ImportChoice {
  index: number;
  import: boolean;
  onDuplicate: OnDuplicate;
  environment: Environment;
}
export interface ImportCounts {
  added: number;
  replaced: number;
  skipped: number;
  recoveryCodes: number;
  warnings: string[];
}
export type ExportFormat = "tessera" | "uris" | "aegis" | "google-qr";
export interface ExportRequest {
  format: ExportFormat;
  path: string;
  password: string | null;
  confirmPassword: string | null;
  includeTrash: boolean;
  acceptUnencrypted: boolean;
}
export interface ExportResult {
  format: ExportFormat;
  summary: string;
  files: string[];
  accounts: number;
  trashed: number;
  leftOut: string[];
  encrypted: boolean;
}

export const DEFAULT_SETTINGS: Settings = { autoLockMinutes: 5, clipboardSeconds: 30, hideCodes: false, theme: "system" };

// Clock skew, recovery codes and replacing a key (issue 8).
export interface Measurement {
  /** Correct time minus this computer's time (positive: the computer is behind). */
  offsetMs: number;
  atMs: number;
  source: string;
}
export interface ClockSettings {
  networkCheck: boolean;
  servers: string[];
  correctCodes: boolean;
  last: Measurement | null;
}
export interface ClockAssessment {
  level: "fine" | "warn" | "severe";
  needsAttention: boolean;
  offsetMs: number;
  /** "47.0 s behind" */
  describe: string;
  /** Why codes may be rejected and what to do. */
  message: string;
}
export interface CorrectionView {
  offsetMs: number;
  label: string;
}
export interface ClockStatus {
  settings: ClockSettings;
  networkAllowed: boolean;
  assessment: ClockAssessment | null;
  correction: CorrectionView | null;
}
export interface ServerResult {
  server: string;
  ok: boolean;
  offsetMs: number | null;
  delayMs: number | null;
  error: string | null;
}
export interface ClockCheck {
  queried: boolean;
  measured: boolean;
  servers: ServerResult[];
  message: string;
  status: ClockStatus;
}
export interface OfflineOffset {
  offsetMs: number;
  minMs: number;
  maxMs: number;
  uncertaintyMs: number;
  alternativesMs: number[];
  explanation: string;
  source: string;
  assessment: ClockAssessment;
}
export interface RecoveryInfo {
  total: number;
  remaining: number;
  fewLeft: boolean;
  /** "3 of 10 left" */
  summary: string;
  warning: string | null;
  addedAtMs: number | null;
}
export interface ParsedBlock {
  count: number;
  ignored: string[];
  duplicates: number;
}
export interface RevealedCode {
  index: number;
  code: string;
  usedAtMs: number | null;
}
export interface RevealedCodes {
  codes: RevealedCode[];
  info: RecoveryInfo;
}
export type RecoveryStoreMode = "refuse" | "replace" | "append";
export interface AccountDetails {
  id: string;
  keyChangedAtMs: number | null;
  hasPreviousKey: boolean;
  recovery: RecoveryInfo;
  needsPassword: boolean;
  algorithm: Algorithm;
}
export interface ReplaceOutcome {
  warnings: string[];
}

/** Errors from the shell arrive as plain sentences; keep them as such (capital, full stop, no jargon). */
export function errorMessage(e: unknown): string {
  if (typeof e === "string") return plainSentence(e);
  if (e instanceof Error) return plainSentence(e.message);
  return plainSentence(String(e));
}

/** The organisation's policy as the app applies it (src-tauri/src/org_policy.rs, PolicyView). */
export interface PolicyView {
  source: string | null;
  /** The sentence shown instead of the codes when the policy file cannot be used. */
  error: string | null;
  values: Record<string, unknown>;
  /** Policy keys the file sets: their controls show "Set by your organisation". */
  fixed: string[];
  warnings: string[];
  plainExportAllowed: boolean;
  requiresPassword: boolean;
  networkClockCheck: boolean;
  maxAutoLockMinutes: number | null;
  maxClipboardSeconds: number | null;
}

export const api = {
  policyStatus: () => invoke<PolicyView>("policy_status"),
  vaultStatus: () => invoke<VaultStatus>("vault_status"),
  createVault: (password: string | null) => invoke<void>("create_vault", { password }),
  unlockVault: (password: string | null) => invoke<void>("unlock_vault", { password }),
  lockVault: () => invoke<void>("lock_vault"),
  setPassword: (current: string | null, password: string) => invoke<void>("set_password", { current, password }),

  listAccounts: () => invoke<AccountView[]>("list_accounts"),
  currentCodes: () => invoke<CodesSnapshot>("current_codes"),
  copyCode: (id: string) => invoke<number>("copy_code", { id }),

  checkManual: (fields: ManualFields) => invoke<ManualCheck>("check_manual", { fields }),
  stageManual: (fields: ManualFields) => invoke<Draft>("stage_manual", { fields }),
  parseText: (text: string) => invoke<ScanOutcome>("parse_text", { text }),
  scanImage: (bytes: Uint8Array) => invoke<ScanOutcome>("scan_image", bytes),
  scanFrame: (gray: Uint8Array, width: number, height: number) =>
    invoke<ScanOutcome | null>("scan_frame", gray, {
      headers: { "x-frame-width": String(width), "x-frame-height": String(height) },
    }),
  draftPreview: (draftId: string) => invoke<Preview>("draft_preview", { draftId }),
  discardDrafts: () => invoke<void>("discard_drafts"),
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
  importLoad: (bytes: Uint8Array, fileName: string) =>
    invoke<ImportFileInfo>("import_load", bytes, { headers: { "x-file-name": encodeURIComponent(fileName) } }),
  importPreview: (format: string | null, password: string | null) =>
    invoke<ImportPreview>("import_preview", { format, password }),
  importCommit: (choices: ImportChoice[]) => invoke<ImportCounts>("import_commit", { choices }),
  importCancel: () => invoke<void>("import_cancel"),
  backupPasswordProblem: (password: string) => invoke<string | null>("backup_password_problem", { password }),
  exportDefaultPath: (format: ExportFormat) => invoke<string>("export_default_path", { format }),
  exportVault: (request: ExportRequest) => invoke<ExportResult>("export_vault", { request }),
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
export interface StartAnswer {
  status: VaultStatus;
  settings: Settings;
  /** Set when the vault is open: the first codes arrive with the answer. */
  accounts: AccountView[] | null;
  codes: CodesSnapshot | null;
}
export interface QuickRow {
  id: string;
  issuer: string;
  account: string;
  environment: Environment;
  favourite: boolean;
}
export interface DesktopSettings {
  closeToTray: boolean;
  startAtLogin: boolean;
  startHidden: boolean;
  shortcut: string;
}
export interface DesktopAnswer {
  settings: DesktopSettings;
  shortcutProblem: string | null;
}

export type Api = typeof api;
