// Generated from the Rust IPC types by src-tauri/src/dto/typescript.rs (ts-rs). Do not edit:
// change the Rust type, then run `TESSERA_BLESS=1 cargo test -p tessera-app --test ipc_types`.

export type EnvironmentKind = "none" | "live" | "sandpit" | "custom";
export type OtpKind = "totp" | "hotp" | "steam";
export type Algorithm = "SHA1" | "SHA256" | "SHA512";
export type ProtectionLevel = "password" | "keychain";
export type DuplicatePolicy = "refuse" | "replace" | "keepBoth";
export type OnDuplicate = "skip" | "replace" | "keepBoth";
export type ExportFormat = "tessera" | "uris" | "aegis" | "google-qr";
export type Theme = "system" | "light" | "dark";
export type SortOrder = "own" | "name" | "environment";

export type Environment = { 
/**
 * "none", "live", "sandpit" or "custom".
 */
kind: EnvironmentKind, name?: string, };

export type AccountView = { id: string, issuer: string, account: string, environment: Environment, note: string, kind: OtpKind, digits: number, period: number, 
/**
 * Shown first on the codes screen and in the tray menu.
 */
favourite: boolean, 
/**
 * HOTP: the counter the next code is made from (0 for time-based kinds).
 */
counter: number, };

export type CodeView = { id: string, current: string, 
/**
 * The next period's code, only in the current one's last seconds (`NEXT_CODE_WINDOW_SECONDS`).
 */
next: string | null, validUntilMs: number | null, period: number | null, 
/**
 * While a replaced key waits for confirmation: the previous key's code (shown marked "previous key").
 */
previous: string | null, };

export type CodesSnapshot = { nowMs: number, codes: Array<CodeView>, 
/**
 * Set while codes are corrected for a measured clock offset (shown on the codes screen).
 */
correction: CorrectionView | null, };

export type VaultStatus = { 
/**
 * "absent", "locked" or "unlocked".
 */
state: "absent" | "locked" | "unlocked", keychainAvailable: boolean, hasPassword: boolean, usesKeychain: boolean, 
/**
 * "password" (only the app password opens it) or "keychain" (this computer's login opens it).
 */
protection: ProtectionLevel | "", 
/**
 * A quick-unlock PIN is set in this running app.
 */
pinSet: boolean, 
/**
 * Unlocked, and the file is an older copy than one this computer opened or saved before (review
 * #28): the core's sentence, the same the CLI prints.
 */
rollbackWarning: string | null, };

export type ManualFields = { issuer: string, account: string, secret: string, kind: OtpKind, algorithm: Algorithm, digits: number, period: number, counter: number, };

export type ManualCheck = { ok: boolean, error: string | null, warnings: Array<string>, preview: string | null, };

export type Draft = { draftId: string, issuer: string, account: string, kind: OtpKind, algorithm: Algorithm, digits: number, period: number, 
/**
 * The environment the core suggests from the names ("NHS Spine Sandpit" → Sandpit), the same
 * rule an import uses; the review form starts with it chosen.
 */
suggestedEnvironment: Environment, };

export type BatchInfo = { index: number, size: number, id: number, };

export type ScanOutcome = { drafts: Array<Draft>, batch: BatchInfo | null, };

export type Preview = { code: string, validUntilMs: number | null, };

export type AddRequest = { draftId: string, issuer: string, account: string, environment: Environment, note: string, 
/**
 * "refuse", "replace" or "keepBoth".
 */
policy: DuplicatePolicy, };

export type AddOutcome = { "status": "added", id: string, warnings: Array<string>, } | { "status": "duplicate", existing: Array<AccountView>, sameEnvironment: boolean, };

export type ConflictsView = { 
/**
 * Accounts with the same issuer and account, in any environment.
 */
twins: Array<AccountView>, 
/**
 * One of the twins is in the same environment: saving would make a duplicate.
 */
sameEnvironment: boolean, 
/**
 * The twins in the same environment (what saving would clash with).
 */
clashes: Array<AccountView>, 
/**
 * Every twin names its environment and this one names none: it must choose one.
 */
needsEnvironment: boolean, };

export type AccountEdit = { issuer: string, account: string, environment: Environment, note: string, 
/**
 * When the new names and environment are taken: "replace" (the other account goes to the trash)
 * or "keepBoth". Absent: refuse with a sentence that names both choices.
 */
onDuplicate?: DuplicatePolicy, 
/**
 * HOTP only: the counter to use for the next code (to set it back after codes were copied unused).
 */
counter?: number, };

export type TrashedView = { id: string, issuer: string, account: string, environment: Environment, deletedAtMs: number | null, };

export type Settings = { autoLockMinutes: number, clipboardSeconds: number, hideCodes: boolean, 
/**
 * "system", "light" or "dark".
 */
theme: Theme, 
/**
 * The order of the codes screen: "own" (Manage's order), "name" or "environment"
 * (`tessera_core::vault::order`); older files without it mean "own".
 */
sort: SortOrder, 
/**
 * The last Tessera backup that was written, read back and found equal to the vault.
 */
lastVerifiedBackup?: LastBackup, };

export type LastBackup = { 
/**
 * Unix milliseconds when it was verified.
 */
atMs: number, accounts: number, path: string, };

export type ImportFormatOption = { 
/**
 * The `--format` name, sent back with the preview.
 */
id: string, label: string, };

export type ImportFileInfo = { fileName: string, size: number, 
/**
 * The `--format` name recognised from the content, if any.
 */
detectedFormat: string | null, 
/**
 * Whether the file (in the detected format) needs a password.
 */
needsPassword: boolean, };

export type ImportRow = { 
/**
 * Position in `entries`; choices refer to rows by it.
 */
index: number, issuer: string, account: string, 
/**
 * "totp", "hotp" or "steam".
 */
kind: OtpKind, 
/**
 * "TOTP · SHA1 · 6 digits · 30 s" (never the key).
 */
summary: string, suggestedEnvironment: Environment, hasNote: boolean, 
/**
 * Recovery codes that come with it (Tessera backups), and how many of them are unused.
 */
recoveryCodes: number, recoveryCodesLeft: number, 
/**
 * Accounts in the vault with the same issuer, name and suggested environment.
 */
duplicates: Array<AccountView>, 
/**
 * An earlier row of this file with the same issuer, name and environment.
 */
sameAsRow: number | null, };

export type ImportPreview = { fileName: string, 
/**
 * The format used to read the file ("aegis", "tessera", …).
 */
format: string, 
/**
 * The app's name as people know it ("Aegis", "Tessera backup").
 */
formatName: string, 
/**
 * True when the file is encrypted and no password was given: ask for one, then preview again.
 */
needsPassword: boolean, entries: Array<ImportRow>, 
/**
 * Entries that cannot be imported, each with its reason in words.
 */
errors: Array<string>, 
/**
 * About the file as a whole (a Google export with QR codes missing); nothing is wrong with an entry.
 */
warnings: Array<string>, };

export type ImportChoice = { index: number, import: boolean, 
/**
 * "skip", "replace" or "keepBoth"; used when the account clashes with one in the vault.
 */
onDuplicate: OnDuplicate, environment: Environment, };

export type ImportCounts = { added: number, replaced: number, skipped: number, recoveryCodes: number, warnings: Array<string>, };

export type ExportRequest = { 
/**
 * "tessera", "uris", "aegis" or "google-qr".
 */
format: ExportFormat, password: string | null, confirmPassword: string | null, includeTrash: boolean, };

export type ExportResult = { format: ExportFormat, 
/**
 * "backup verified: 12 accounts in /home/…/tessera-backup-2026-11-23.tessera".
 */
summary: string, files: Array<string>, accounts: number, trashed: number, 
/**
 * Accounts left out (Google cannot carry every kind), in words.
 */
leftOut: Array<string>, encrypted: boolean, };

export type Measurement = { 
/**
 * Correct time minus local time, in milliseconds (positive: this computer is behind).
 */
offsetMs: number, 
/**
 * When it was measured (Unix ms).
 */
atMs: number, 
/**
 * "2 time servers", "a code GitHub accepted", "a trusted clock".
 */
source: string, };

export type ClockSettings = { 
/**
 * "Check the clock over the network": on by default.
 */
networkCheck: boolean, 
/**
 * HOST or HOST:PORT, each validated with the core's `parse_server`.
 */
servers: Array<string>, 
/**
 * "Correct codes by the measured offset".
 */
correctCodes: boolean, 
/**
 * The last measured offset (by SNTP or offline) with when and how.
 */
last: Measurement | null, };

export type CorrectionView = { offsetMs: number, 
/**
 * The core's sentence: "Codes corrected for the clock being 47.0 s behind (+47.000 s)".
 */
label: string, };

export type ClockAssessment = { 
/**
 * "fine", "warn" or "severe" (the core's `SkewLevel`).
 */
level: "fine" | "warn" | "severe", needsAttention: boolean, offsetMs: number, 
/**
 * "47.0 s behind", "3.0 s ahead".
 */
describe: string, 
/**
 * Why codes may be rejected, and what to do (the core's sentence).
 */
message: string, };

export type ClockStatus = { settings: ClockSettings, 
/**
 * False when network checks are off in the settings or by `TESSERA_CLOCK_NETWORK=0`.
 */
networkAllowed: boolean, assessment: ClockAssessment | null, correction: CorrectionView | null, };

export type ServerResult = { server: string, ok: boolean, offsetMs: number | null, delayMs: number | null, error: string | null, };

export type ClockCheck = { 
/**
 * False when network checks are off: nothing was sent.
 */
queried: boolean, measured: boolean, servers: Array<ServerResult>, 
/**
 * One sentence for the person: what was measured, or why nothing was.
 */
message: string, status: ClockStatus, };

export type OfflineOffset = { offsetMs: number, minMs: number, maxMs: number, 
/**
 * How far the estimate may be off either way.
 */
uncertaintyMs: number, 
/**
 * Other offsets that fit as well (an accepted code repeating within the search window).
 */
alternativesMs: number[], 
/**
 * What the numbers mean: range, assumed time zone, ambiguity.
 */
explanation: string, 
/**
 * For the record when applied: "a code GitHub accepted".
 */
source: string, assessment: ClockAssessment, };

export type RecoveryInfo = { total: number, remaining: number, fewLeft: boolean, 
/**
 * "3 of 10 left", "none of 10 left", "no recovery codes".
 */
summary: string, 
/**
 * When few or none are left: what to do.
 */
warning: string | null, addedAtMs: number | null, };

export type ParsedBlock = { 
/**
 * How many codes were recognised (shown before saving: "10 codes recognised").
 */
count: number, 
/**
 * Lines that are not codes (headings, prose), so the person sees what was skipped.
 */
ignored: Array<string>, duplicates: number, };

export type RevealedCode = { index: number, code: string, usedAtMs: number | null, };

export type RevealedCodes = { codes: Array<RevealedCode>, info: RecoveryInfo, };

export type AccountDetails = { id: string, 
/**
 * When the key was last replaced (Unix ms); `None` if never since it was added.
 */
keyChangedAtMs: number | null, 
/**
 * A replaced key is kept, marked "previous key", until the person confirms the new one.
 */
hasPreviousKey: boolean, recovery: RecoveryInfo, 
/**
 * Revealing recovery codes asks for the app password when there is one.
 */
needsPassword: boolean, 
/**
 * "SHA1", "SHA256" or "SHA512": "Replace key…" fills the typed form with the account's settings.
 */
algorithm: Algorithm, };

export type ReplaceOutcome = { 
/**
 * Things to check: the same key on another account, an unconfirmed key moved to the trash.
 */
warnings: Array<string>, };

export type PolicyView = { 
/**
 * The policy file in force, or null when there is none.
 */
source: string | null, 
/**
 * Set when the policy file cannot be used: the sentence shown instead of the codes.
 */
error: string | null, 
/**
 * The keys the file sets and their values (`tessera policy show --json` without "source").
 */
values: Record<string, unknown>, 
/**
 * The keys the file sets: the controls shown as "Set by your organisation".
 */
fixed: Array<string>, 
/**
 * One sentence per unknown key (listed in Settings).
 */
warnings: Array<string>, plainExportAllowed: boolean, requiresPassword: boolean, networkClockCheck: boolean, maxAutoLockMinutes: number | null, maxClipboardSeconds: number | null, 
/**
 * Extra environment names offered beside Live and Sandpit.
 */
environments: Array<string>, 
/**
 * The fixed folder for automatic backups, if any.
 */
backupFolder: string | null, 
/**
 * The app keeps asking until automatic backups are on.
 */
requireBackup: boolean, };

export type StartAnswer = { status: VaultStatus, settings: Settings, 
/**
 * Set when the vault is open: the accounts in display order and their codes.
 */
accounts: Array<AccountView> | null, codes: CodesSnapshot | null, };

export type QuickRow = { id: string, issuer: string, account: string, environment: Environment, favourite: boolean, };

export type DesktopSettings = { 
/**
 * Closing the window hides it to the tray instead of quitting (on by default).
 */
closeToTray: boolean, 
/**
 * Start Tessera when the person logs in (off by default; the autostart plugin writes the entry).
 */
startAtLogin: boolean, 
/**
 * Start with the window hidden (only the tray icon).
 */
startHidden: boolean, 
/**
 * The global shortcut that opens quick copy, e.g. "Ctrl+Alt+O"; empty turns it off.
 */
shortcut: string, };

export type DesktopAnswer = { settings: DesktopSettings, 
/**
 * Why the shortcut is not active (another program holds it), if so.
 */
shortcutProblem: string | null, };

export type BackupStatus = { enabled: boolean, folder: string | null, keep: number, 
/**
 * RFC 3339, as the CLI prints it.
 */
lastVerified: string | null, lastVerifiedMs: number | null, lastFile: string | null, 
/**
 * Accounts in the last verified backup.
 */
accounts: number | null, 
/**
 * Why the last automatic backup failed (a sentence), if it did.
 */
lastError: string | null, lastRestoreTestMs: number | null, 
/**
 * The warning for the codes screen, decided by the core (`backup::check::attention`).
 */
warning: string | null, 
/**
 * On, and no successful restore test in the last 90 days.
 */
restoreTestDue: boolean, 
/**
 * The organisation requires automatic backups (policy require_backup): the warning cannot be
 * dismissed while they are off, and they cannot be turned off.
 */
required: boolean, };

export type RestoreTest = { file: string, matches: boolean, summary: string, createdAtMs: number, backupAccounts: number, vaultAccounts: number, same: number, changed: Array<string>, onlyInBackup: Array<string>, onlyInVault: Array<string>, status: BackupStatus, };

export type PhoneEnrolment = { id: string, issuer: string, account: string, environment: Environment, 
/**
 * The account's `otpauth://` enrolment QR code as a `data:image/png;base64,…` URL.
 */
qrDataUrl: string, 
/**
 * The key in base32, in groups of four, for typing it into the phone instead.
 */
keyGrouped: string, 
/**
 * "Time-based (TOTP), SHA1, 6 digits, every 30 seconds".
 */
settings: string, 
/**
 * The screen hides the code and key again after this many seconds.
 */
hideAfterSeconds: number, };

export type EmergencySheet = { 
/**
 * The HTML file, to open in the browser and print.
 */
file: string, 
/**
 * Accounts listed on the sheet.
 */
accounts: number, 
/**
 * The "for a locked drawer" version, with QR codes and unused recovery codes.
 */
withSecrets: boolean, };

export type ErrorKind = "locked" | "wrongPassword" | "changedOnDisk" | "policy" | "keychainUnavailable" | "conflict" | "badInput" | "cancelled" | "other";

export type IpcError = { kind: ErrorKind, 
/**
 * The sentence to show, worded by the core (tests and the CLI rely on the same words).
 */
message: string, };
