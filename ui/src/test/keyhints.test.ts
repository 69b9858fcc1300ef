// Issue 16 item 14 in the UI: look-alike hints from Rust are shown at the key field, and a whole link
// typed into the key field is read as a link.
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import AddAccount from "../screens/AddAccount.svelte";
import { looksLikeLink } from "../lib/keyhints";
import { mockApi } from "./fixtures";

let api: ReturnType<typeof mockApi>;
beforeEach(() => {
  api = mockApi();
  api.discardDrafts.mockResolvedValue(undefined);
  api.listAccounts.mockResolvedValue([]);
  api.draftPreview.mockResolvedValue({ code: "123456", validUntilMs: Date.now() + 20_000 });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("14. keys typed by hand", () => {
  it("recognises links", () => {
    expect(looksLikeLink(" otpauth://totp/x?secret=AB")).toBe(true);
    expect(looksLikeLink("OTPAUTH-MIGRATION://offline?data=x")).toBe(true);
    expect(looksLikeLink("JBSWY3DPEHPK3PXP")).toBe(false);
    expect(looksLikeLink("otpauth")).toBe(false);
  });

  it("shows the look-alike hint Rust gives for 0, 1 and 8", async () => {
    api.checkManual.mockResolvedValue({
      ok: false, warnings: [], preview: null,
      error: "The secret key has an invalid character '0' at position 3; a key uses only the letters A-Z and the digits 2-7 (spaces and dashes are ignored). Keys never contain 0, 1 or 8: this 0 is probably the letter O.",
    });
    render(AddAccount, { ondone: () => {} });
    await fireEvent.click(screen.getByRole("button", { name: /Type the key/ }));
    await fireEvent.input(screen.getByLabelText("Secret key"), { target: { value: "JBS0" } });
    expect(await screen.findByText(/this 0 is probably the letter O/)).toBeTruthy();
    expect(screen.getByLabelText("Secret key").getAttribute("aria-invalid")).toBe("true");
  });

  it("reads a whole otpauth link pasted into the key field as a link", async () => {
    api.checkManual.mockResolvedValue({ ok: false, warnings: [], preview: null, error: "This is a whole authenticator link, not just the key." });
    api.parseText.mockResolvedValue({ drafts: [{ draftId: "d5", issuer: "NHS Mail", account: "alice", kind: "totp", algorithm: "SHA1", digits: 6, period: 30 }], batch: null });
    render(AddAccount, { ondone: () => {} });
    await fireEvent.click(screen.getByRole("button", { name: /Type the key/ }));
    const link = "otpauth://totp/NHS%20Mail:alice?secret=JBSWY3DPEHPK3PXP&issuer=NHS%20Mail";
    await fireEvent.input(screen.getByLabelText("Secret key"), { target: { value: link } });
    expect(screen.getByText(/This is a whole authenticator link/)).toBeTruthy();
    const read = screen.getByRole("button", { name: "Read the link" }) as HTMLButtonElement;
    expect(read.disabled).toBe(false);
    await fireEvent.click(read);
    await vi.waitFor(() => expect(api.parseText).toHaveBeenCalledWith(link));
    expect(await screen.findByText("Review the account")).toBeTruthy();
    expect((screen.getByLabelText("Issuer (service)") as HTMLInputElement).value).toBe("NHS Mail");
  });
});
