import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { tick } from "svelte";
import AddAccount from "../screens/AddAccount.svelte";
import type { ConflictsView, Draft, Environment } from "../lib/api";
import { live, mockApi, sandpit } from "./fixtures";

let api: ReturnType<typeof mockApi>;
const draft = (id: string, issuer = "NHS Spine", account = "alice"): Draft => ({
  draftId: id, issuer, account, kind: "totp", algorithm: "SHA1", digits: 6, period: 30,
});

beforeEach(() => {
  api = mockApi();
  api.discardDrafts.mockResolvedValue(undefined);
  api.listAccounts.mockResolvedValue([]);
  api.draftPreview.mockResolvedValue({ code: "287082", validUntilMs: Date.now() + 20_000 });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("adding by typing the key", () => {
  it("validates the key live, folds advanced options away, and ends in the review form with a preview", async () => {
    api.checkManual.mockImplementation(async (f) =>
      f.secret.includes("1")
        ? { ok: false, error: "the secret key has an invalid character '1' at position 4", warnings: [], preview: null }
        : { ok: true, error: null, warnings: [], preview: "287082" },
    );
    api.stageManual.mockResolvedValue(draft("d1"));
    api.addAccount.mockResolvedValue({ status: "added", id: "new" });
    const ondone = vi.fn();
    render(AddAccount, { ondone });
    await fireEvent.click(screen.getByRole("button", { name: /Type the key/ }));
    expect(screen.getByText(/Advanced options/).closest("details")!.open).toBe(false);
    await fireEvent.input(screen.getByLabelText("Issuer (service)"), { target: { value: "NHS Spine" } });
    await fireEvent.input(screen.getByLabelText("Secret key"), { target: { value: "GEZD1" } });
    expect(await screen.findByText(/invalid character '1'/)).toBeTruthy();
    const cont = screen.getByRole("button", { name: "Continue" }) as HTMLButtonElement;
    expect(cont.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText("Secret key"), { target: { value: "GEZDGNBVGY3TQOJQ" } });
    await screen.findByText(/Key looks right/);
    await vi.waitFor(() => expect(cont.disabled).toBe(false));
    await fireEvent.click(cont);
    // The review form: issuer, account, environment and the live code.
    expect(await screen.findByText("Review the account")).toBeTruthy();
    expect((await screen.findByText("287")).closest("[data-preview]")!.getAttribute("data-preview")).toBe("287082");
    await fireEvent.click(screen.getByLabelText("SANDPIT"));
    await fireEvent.click(screen.getByRole("button", { name: "Add account" }));
    await vi.waitFor(() => expect(ondone).toHaveBeenCalled());
    expect(api.addAccount).toHaveBeenCalledWith(
      expect.objectContaining({ draftId: "d1", issuer: "NHS Spine", environment: { kind: "sandpit" }, policy: "refuse" }),
    );
  });
});

describe("links, images and Google exports", () => {
  it("reads a pasted otpauth link into the review form", async () => {
    api.parseText.mockResolvedValue({ drafts: [draft("d2")], batch: null });
    render(AddAccount, { ondone: () => {} });
    await fireEvent.input(screen.getByLabelText("Or paste a link"), { target: { value: "otpauth://totp/NHS%20Spine:alice?secret=GEZDGNBV" } });
    await fireEvent.click(screen.getByRole("button", { name: "Read link" }));
    expect(await screen.findByText("Review the account")).toBeTruthy();
    expect(api.parseText).toHaveBeenCalledWith("otpauth://totp/NHS%20Spine:alice?secret=GEZDGNBV");
  });

  it("collects a Google export batch, saying 'QR 2 of 3 scanned', then reviews every account", async () => {
    api.scanImage
      .mockResolvedValueOnce({ drafts: [draft("g1", "A", "a")], batch: { index: 1, size: 3, id: 7 } })
      .mockResolvedValueOnce({ drafts: [draft("g2", "B", "b"), draft("g3", "C", "c")], batch: { index: 2, size: 3, id: 7 } })
      .mockResolvedValueOnce({ drafts: [draft("g4", "D", "d")], batch: { index: 3, size: 3, id: 7 } });
    render(AddAccount, { ondone: () => {} });
    const input = document.getElementById("image-file") as HTMLInputElement;
    const file = (name: string) => new File([new Uint8Array([137, 80, 78, 71])], name, { type: "image/png" });
    Object.defineProperty(input, "files", { value: [file("1.png")], configurable: true });
    await fireEvent.change(input);
    expect((await screen.findByRole("status")).textContent).toContain("QR 1 of 3 scanned");
    Object.defineProperty(input, "files", { value: [file("2.png")], configurable: true });
    await fireEvent.change(input);
    await vi.waitFor(() => expect(screen.getByRole("status").textContent).toContain("QR 2 of 3 scanned"));
    Object.defineProperty(input, "files", { value: [file("3.png")], configurable: true });
    await fireEvent.change(input);
    expect(await screen.findByText("Review 4 accounts")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Add all" })).toBeTruthy();
  });

  it("explains an image without a QR code", async () => {
    api.scanImage.mockRejectedValue("no QR code was found in this image");
    render(AddAccount, { ondone: () => {} });
    const input = document.getElementById("image-file") as HTMLInputElement;
    Object.defineProperty(input, "files", { value: [new File([new Uint8Array([1])], "cat.png")], configurable: true });
    await fireEvent.change(input);
    expect((await screen.findByRole("alert")).textContent).toBe("cat.png: No QR code was found in this image.");
  });
});

describe("duplicates are never overwritten silently", () => {
  async function reviewOne() {
    api.parseText.mockResolvedValue({ drafts: [draft("d9")], batch: null });
    render(AddAccount, { ondone: vi.fn() });
    await fireEvent.input(screen.getByLabelText("Or paste a link"), { target: { value: "otpauth://totp/x?secret=GEZDGNBV" } });
    await fireEvent.click(screen.getByRole("button", { name: "Read link" }));
    await screen.findByText("Review the account");
  }

  // What the core (check_conflicts) says when a Live twin is stored: a login without an environment
  // must name one, and another Live one clashes.
  const liveTwin = async (_issuer: string, _account: string, env: Environment): Promise<ConflictsView> => ({
    twins: [live],
    sameEnvironment: env.kind === "live",
    clashes: env.kind === "live" ? [live] : [],
    needsEnvironment: env.kind === "none",
  });
  const noTwins: ConflictsView = { twins: [], sameEnvironment: false, clashes: [], needsEnvironment: false };

  it("asks the core, shows its twin in Live and requires choosing an environment", async () => {
    // The form knows nothing of the stored accounts: only the core's answer counts.
    api.listAccounts.mockResolvedValue([]);
    api.checkConflicts.mockImplementation(liveTwin);
    api.addAccount.mockResolvedValue({ status: "added", id: "n", warnings: [] });
    await reviewOne();
    const note = await screen.findByText(/You already have NHS Spine · alice/);
    expect(note.querySelector(".env-live")).not.toBeNull();
    expect(api.checkConflicts).toHaveBeenCalledWith("NHS Spine", "alice", { kind: "none" }, null);
    expect(screen.getByRole("radiogroup").getAttribute("aria-required")).toBe("true");
    expect(screen.getByText("(choose one)")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Add account" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Choose the environment of NHS Spine · alice");
    expect(api.addAccount).not.toHaveBeenCalled();
    // Sandpit is free: the core no longer asks for an environment and the account is saved.
    await fireEvent.click(screen.getByLabelText("SANDPIT"));
    await vi.waitFor(() => expect(api.checkConflicts).toHaveBeenCalledWith("NHS Spine", "alice", { kind: "sandpit" }, null));
    await vi.waitFor(() => expect(screen.queryByText("(choose one)")).toBeNull());
    await fireEvent.click(screen.getByRole("button", { name: "Add account" }));
    await vi.waitFor(() => expect(api.addAccount).toHaveBeenCalledWith(expect.objectContaining({ environment: { kind: "sandpit" } })));
  });

  it("shows no twin when the core says none, even if a stored account looks alike", async () => {
    api.listAccounts.mockResolvedValue([live, sandpit]);
    api.checkConflicts.mockResolvedValue(noTwins);
    await reviewOne();
    await vi.waitFor(() => expect(api.checkConflicts).toHaveBeenCalled());
    await tick();
    expect(screen.queryByText(/You already have/)).toBeNull();
    expect(screen.getByRole("radiogroup").getAttribute("aria-required")).toBe("false");
  });

  it("never lets an earlier, slower answer overwrite a newer one", async () => {
    const slow: ((v: ConflictsView) => void)[] = [];
    api.checkConflicts.mockImplementation((issuer) =>
      issuer === "NHS Spine" ? new Promise((resolve) => slow.push(resolve)) : Promise.resolve(noTwins),
    );
    await reviewOne();
    await vi.waitFor(() => expect(slow.length).toBe(1));
    await fireEvent.input(screen.getByLabelText("Issuer (service)"), { target: { value: "GitHub" } });
    await vi.waitFor(() => expect(api.checkConflicts).toHaveBeenCalledWith("GitHub", "alice", { kind: "none" }, null));
    await tick();
    // The first question's answer (a twin) arrives last: it is dropped.
    slow[0]({ twins: [live], sameEnvironment: false, clashes: [], needsEnvironment: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByText(/You already have/)).toBeNull();
  });

  it("offers keep both / replace / cancel; keep both needs a different environment", async () => {
    api.checkConflicts.mockImplementation(liveTwin);
    api.addAccount
      .mockResolvedValueOnce({ status: "duplicate", existing: [live], sameEnvironment: true })
      .mockResolvedValueOnce({ status: "added", id: "n" });
    await reviewOne();
    await fireEvent.click(screen.getByLabelText("LIVE"));
    await fireEvent.click(screen.getByRole("button", { name: "Add account" }));
    const dialog = await screen.findByRole("alertdialog");
    expect(dialog.textContent).toContain("already in your vault");
    const keep = screen.getByRole("button", { name: "Keep both" }) as HTMLButtonElement;
    expect(keep.disabled).toBe(true);
    await fireEvent.click(screen.getByLabelText("SANDPIT"));
    // The core says Sandpit is free: keeping both is possible now.
    await vi.waitFor(() => expect(keep.disabled).toBe(false));
    await fireEvent.click(screen.getByRole("button", { name: /Replace/ }));
    await vi.waitFor(() => expect(api.addAccount).toHaveBeenCalledTimes(2));
    expect(api.addAccount).toHaveBeenLastCalledWith(expect.objectContaining({ policy: "replace" }));
  });
});
