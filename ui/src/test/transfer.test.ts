import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import Transfer from "../screens/Transfer.svelte";
import SettingsScreen from "../screens/Settings.svelte";
import { DEFAULT_SETTINGS, type ImportPreview } from "../lib/api";
import { live, mockApi } from "./fixtures";

let api: ReturnType<typeof mockApi>;
beforeEach(() => {
  api = mockApi();
  api.importCancel.mockResolvedValue(undefined);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function file(name: string, text: string): File {
  return new File([text], name, { type: "application/octet-stream" });
}

async function pick(f: File) {
  const input = document.getElementById("import-file") as HTMLInputElement;
  Object.defineProperty(input, "files", { value: [f], configurable: true });
  await fireEvent.change(input);
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const preview: ImportPreview = {
  fileName: "aegis.json",
  format: "aegis",
  formatName: "Aegis",
  needsPassword: false,
  entries: [
    {
      index: 0, issuer: "NHS Spine", account: "alice", kind: "totp", summary: "TOTP · SHA1 · 6 digits · 30 s",
      suggestedEnvironment: { kind: "live" }, hasNote: false, recoveryCodes: 0, recoveryCodesLeft: 0, duplicates: [live], sameAsRow: null,
    },
    {
      index: 1, issuer: "EPR", account: "bob", kind: "totp", summary: "TOTP · SHA1 · 6 digits · 30 s",
      suggestedEnvironment: { kind: "sandpit" }, hasNote: true, recoveryCodes: 10, recoveryCodesLeft: 8, duplicates: [], sameAsRow: null,
    },
  ],
  errors: ["entry 3 (Boeing / Sophia): SHA384 is not supported"],
};

describe("import", () => {
  it("previews a file with environments, duplicates and errors, and imports only on confirm", async () => {
    api.importLoad.mockResolvedValue({ fileName: "aegis.json", size: 10, detectedFormat: "aegis", needsPassword: false });
    api.importPreview.mockResolvedValue(preview);
    api.importCommit.mockResolvedValue({ added: 1, replaced: 1, skipped: 0, recoveryCodes: 10, warnings: [] });
    render(Transfer, {});
    await pick(file("aegis.json", "{}"));

    expect(await screen.findByText(/2 accounts found, 1 cannot be imported, 1 already in Tessera/)).toBeTruthy();
    expect(api.importLoad).toHaveBeenCalledWith(expect.any(Uint8Array), "aegis.json");
    expect(api.importPreview).toHaveBeenCalledWith(null, null);
    // Environment badges in words, the duplicate named, the per-entry error in words.
    const table = document.getElementById("import-table")!;
    expect(table.textContent).toContain("LIVE");
    expect(table.textContent).toContain("SANDPIT");
    expect(table.textContent).toContain("Yes: NHS Spine (alice)");
    expect(table.textContent).toContain("10 recovery codes (8 unused)");
    expect(document.getElementById("import-errors")!.textContent).toContain("SHA384 is not supported");
    expect(api.importCommit).not.toHaveBeenCalled();

    // The duplicate is skipped by default; choose replace.
    const dup = screen.getByLabelText("If NHS Spine alice is already there") as HTMLSelectElement;
    expect(dup.value).toBe("skip");
    expect(screen.getByRole("button", { name: "Import 1 account" })).toBeTruthy();
    await fireEvent.change(dup, { target: { value: "replace" } });
    await fireEvent.click(screen.getByRole("button", { name: "Import 2 accounts" }));
    await vi.waitFor(() =>
      expect(api.importCommit).toHaveBeenCalledWith([
        { index: 0, import: true, onDuplicate: "replace", environment: { kind: "live" } },
        { index: 1, import: true, onDuplicate: "keepBoth", environment: { kind: "sandpit" } },
      ]),
    );
    expect((await screen.findByRole("status")).textContent).toContain("Imported 2 accounts (1 replaced");
  });

  it("asks for the password of an encrypted file and shows progress while the key is derived", async () => {
    api.importLoad.mockResolvedValue({ fileName: "backup.tessera", size: 10, detectedFormat: "tessera", needsPassword: true });
    const pending = deferred<ImportPreview>();
    api.importPreview.mockRejectedValueOnce("backup.tessera: wrong password for this Tessera backup file");
    api.importPreview.mockReturnValueOnce(pending.promise);
    render(Transfer, {});
    await pick(file("backup.tessera", "TSRBAK"));

    const pw = (await screen.findByLabelText(/This file is encrypted/)) as HTMLInputElement;
    expect(api.importPreview).not.toHaveBeenCalled();
    await fireEvent.input(pw, { target: { value: "wrong one" } });
    await fireEvent.click(screen.getByRole("button", { name: "Open the file" }));
    expect((await screen.findByRole("alert")).textContent).toContain("wrong password");

    // The prompt stays for another try; while the key is derived a progress indicator says so.
    await fireEvent.input(screen.getByLabelText(/This file is encrypted/), { target: { value: "right one" } });
    await fireEvent.click(screen.getByRole("button", { name: "Open the file" }));
    const progress = await screen.findByRole("progressbar");
    expect(progress.getAttribute("aria-busy")).toBe("true");
    expect(progress.textContent).toContain("Deriving the key from your password");
    expect(api.importPreview).toHaveBeenLastCalledWith(null, "right one");
    pending.resolve({ ...preview, fileName: "backup.tessera", format: "tessera", formatName: "Tessera backup", errors: [] });
    await vi.waitFor(() => expect(document.getElementById("import-summary")?.textContent).toContain("Tessera backup: 2 accounts found"));
    await vi.waitFor(() => expect(screen.queryByRole("progressbar")).toBeNull());
  });

  it("cancels a slow key derivation at once; its late answer is ignored", async () => {
    api.importLoad.mockResolvedValue({ fileName: "big.tessera", size: 10, detectedFormat: "tessera", needsPassword: true });
    const pending = deferred<ImportPreview>();
    api.importPreview.mockReturnValueOnce(pending.promise);
    render(Transfer, {});
    await pick(file("big.tessera", "TSRBAK"));
    await fireEvent.input(await screen.findByLabelText(/This file is encrypted/), { target: { value: "a password" } });
    await fireEvent.click(screen.getByRole("button", { name: "Open the file" }));
    await screen.findByRole("progressbar");
    await fireEvent.click(document.getElementById("import-stop")!);
    expect(api.importCancel).toHaveBeenCalled();
    expect(screen.queryByRole("progressbar")).toBeNull();
    // Rust answers later that the file is gone: nothing is shown.
    pending.reject("choose a file to import first");
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.queryByRole("alert")).toBeNull();
    expect(document.getElementById("import-summary")).toBeNull();
  });

  it("shows an unknown format as an error in words", async () => {
    api.importLoad.mockResolvedValue({ fileName: "notes.txt", size: 5, detectedFormat: null, needsPassword: false });
    api.importPreview.mockRejectedValue("the file format was not recognised; choose it in the Format list");
    render(Transfer, {});
    await pick(file("notes.txt", "hello"));
    expect((await screen.findByRole("alert")).textContent).toContain("not recognised");
    expect(document.getElementById("import-table")).toBeNull();
  });
});

describe("export", () => {
  it("warns that URI lists are not encrypted; the path and the consent are Rust's dialogs", async () => {
    api.exportVault.mockResolvedValue({
      format: "uris", summary: "export verified: 3 accounts in /tmp/x.txt (otpauth URI list)", files: ["/tmp/x.txt"],
      accounts: 3, trashed: 0, leftOut: [], encrypted: false,
    });
    render(Transfer, {});
    await fireEvent.change(screen.getByLabelText("Format", { selector: "#export-format" }), { target: { value: "uris" } });
    expect((await screen.findByRole("note")).textContent).toContain("NOT encrypted");
    expect(screen.queryByLabelText("Password for the file")).toBeNull();
    // No path field and no consent box: the WebView cannot choose either (review #20).
    expect(document.getElementById("export-path")).toBeNull();
    expect(screen.queryByRole("checkbox", { name: /NOT encrypted/ })).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Export" }));
    await vi.waitFor(() =>
      expect(api.exportVault).toHaveBeenCalledWith({ format: "uris", password: null, confirmPassword: null, includeTrash: false }),
    );
    expect((await screen.findByRole("status")).textContent).toContain("Export verified: 3 accounts");
  });

  it("treats a cancelled dialog as nothing happened", async () => {
    api.exportVault.mockResolvedValue(null);
    const onbackup = vi.fn();
    render(Transfer, { onbackup });
    await fireEvent.change(screen.getByLabelText("Format", { selector: "#export-format" }), { target: { value: "google-qr" } });
    await fireEvent.click(screen.getByRole("button", { name: "Export" }));
    await vi.waitFor(() => expect(api.exportVault).toHaveBeenCalled());
    await vi.waitFor(() => expect((screen.getByRole("button", { name: "Export" }) as HTMLButtonElement).disabled).toBe(false));
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.queryByRole("status")).toBeNull();
    expect(onbackup).not.toHaveBeenCalled();
  });

  it("exports a Tessera backup with progress, shows the strength reason and reports verification", async () => {
    api.backupPasswordProblem.mockImplementation(async (p) => (p.length < 12 ? "the backup password is too short" : null));
    const pending = deferred<never>();
    api.exportVault.mockReturnValue(pending.promise as never);
    const onbackup = vi.fn();
    render(Transfer, { onbackup });

    await fireEvent.input(screen.getByLabelText("Password for the file"), { target: { value: "short" } });
    expect((await screen.findByText(/Not strong enough/)).textContent).toContain("too short");
    await fireEvent.input(screen.getByLabelText("Password for the file"), { target: { value: "plinth mango ferry" } });
    await fireEvent.input(screen.getByLabelText("Type it again"), { target: { value: "plinth mango ferry" } });
    await fireEvent.click(screen.getByRole("button", { name: "Export" }));
    const progress = await screen.findByRole("progressbar");
    expect(progress.textContent).toContain("Deriving the key from your password");
    expect(api.exportVault).toHaveBeenCalledWith({
      format: "tessera", password: "plinth mango ferry", confirmPassword: "plinth mango ferry", includeTrash: false,
    });
    pending.reject("/home/ann/Documents/tessera-export.tessera: does not match the vault after writing; do not rely on it");
    expect((await screen.findByRole("alert")).textContent).toContain("do not rely on it");
    expect(screen.queryByRole("status")).toBeNull();
    expect(onbackup).not.toHaveBeenCalled();

    api.exportVault.mockResolvedValue({
      format: "tessera", summary: "backup verified: 12 accounts in /home/ann/Documents/tessera-export.tessera",
      files: ["/home/ann/Documents/tessera-export.tessera"], accounts: 12, trashed: 0, leftOut: [], encrypted: true,
    });
    await fireEvent.input(screen.getByLabelText("Password for the file"), { target: { value: "plinth mango ferry" } });
    await fireEvent.input(screen.getByLabelText("Type it again"), { target: { value: "plinth mango ferry" } });
    await fireEvent.click(screen.getByRole("button", { name: "Export" }));
    expect((await screen.findByRole("status")).textContent).toContain("Backup verified: 12 accounts");
    expect(onbackup).toHaveBeenCalled();
  });

  it("refuses different passwords before asking the app", async () => {
    api.backupPasswordProblem.mockResolvedValue(null);
    render(Transfer, {});
    await fireEvent.input(screen.getByLabelText("Password for the file"), { target: { value: "plinth mango ferry" } });
    await fireEvent.input(screen.getByLabelText("Type it again"), { target: { value: "plinth mango fery" } });
    await fireEvent.click(screen.getByRole("button", { name: "Export" }));
    expect((await screen.findByRole("alert")).textContent).toContain("not the same");
    expect(api.exportVault).not.toHaveBeenCalled();
  });
});

describe("settings", () => {
  const status = { state: "unlocked", keychainAvailable: false, hasPassword: true, usesKeychain: false } as const;
  it("shows the last verified backup", () => {
    const atMs = new Date(2026, 10, 23, 14, 5).getTime();
    render(SettingsScreen, {
      settings: { ...DEFAULT_SETTINGS, lastVerifiedBackup: { atMs, accounts: 12, path: "/home/ann/b.tessera" } },
      status, onsaved: () => {},
    });
    expect(document.getElementById("last-backup")!.textContent!.trim()).toBe(
      "Last verified export: 23 Nov 2026, 14:05 — 12 accounts — /home/ann/b.tessera",
    );
  });
  it("says when there is none yet", () => {
    render(SettingsScreen, { settings: { ...DEFAULT_SETTINGS }, status, onsaved: () => {} });
    expect(document.getElementById("last-backup")!.textContent).toContain("No backup exported yet");
  });
});
