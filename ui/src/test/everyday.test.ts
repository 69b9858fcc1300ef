// Issue 16: everyday-use items that live in the UI (copy message, dates, sentences, rows that do not
// jump, Esc in the list, navigation, confirmations with undo).
import { cleanup, fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import Codes from "../screens/Codes.svelte";
import { DEFAULT_SETTINGS } from "../lib/api";
import { accountInWords, copiedMessage, formatDateTime, formatDay } from "../lib/format";
import { plainSentence } from "../lib/sentence";
import { custom, live, mockApi, plain, sandpit, snapshot } from "./fixtures";

let api: ReturnType<typeof mockApi>;
beforeEach(() => {
  api = mockApi();
  api.listAccounts.mockResolvedValue([live, sandpit, custom, plain]);
  api.currentCodes.mockResolvedValue(snapshot(Date.now() + 20_000, Date.now()));
  api.copyCode.mockResolvedValue(30);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function rows() {
  await screen.findByText("123");
  return screen.getAllByRole("button", { name: /press Enter/ });
}

describe("1. copying says which environment", () => {
  it("names issuer, account and environment in words, different for Live and Sandpit twins", () => {
    expect(copiedMessage(live, 30)).toBe("Copied the code for NHS Spine, alice, Live environment. The clipboard is cleared in 30 s.");
    expect(copiedMessage(sandpit, 0)).toBe("Copied the code for NHS Spine, alice, Sandpit environment.");
    expect(accountInWords(custom)).toBe("EPR, bob@trust.nhs.uk, Training environment");
    expect(accountInWords(plain)).toBe("GitHub, carol, no environment");
  });

  it("the toast shows the words and the badge; the screen reader hears the words", async () => {
    render(Codes, { settings: DEFAULT_SETTINGS, onadd: () => {} });
    const [, r2] = await rows();
    await fireEvent.click(r2);
    const toast = await screen.findByText(/Copied the code for NHS Spine, alice, Sandpit environment/, { selector: "#copy-toast" });
    expect(toast.querySelector(".env-sandpit")?.textContent).toContain("SANDPIT");
    expect(screen.getByRole("status").textContent).toBe(
      "Copied the code for NHS Spine, alice, Sandpit environment. The clipboard is cleared in 30 s.",
    );
  });
});

describe("15. rows do not jump; errors are sentences", () => {
  it("every row has the line for 'next …' and 'Copied' before either appears", async () => {
    render(Codes, { settings: DEFAULT_SETTINGS, onadd: () => {} });
    const all = await rows();
    for (const r of all) expect(r.querySelector(".code-sub")).not.toBeNull();
    expect(all[0].querySelector(".next")).toBeNull();
    await fireEvent.click(all[0]);
    expect(await within(all[0]).findByText("Copied")).toBeTruthy();
    expect(all[0].querySelector(".code-sub .copied")).not.toBeNull();
  });

  it("capitalises, ends with a full stop, and replaces library jargon", () => {
    expect(plainSentence("wrong password")).toBe("Wrong password.");
    expect(plainSentence("Saved already!")).toBe("Saved already!");
    expect(plainSentence("SS error: result not returned from SS API")).toMatch(/^The system keychain did not answer\./);
    expect(plainSentence("Error: No such file or directory (os error 2)")).toMatch(/^That file or folder does not exist/);
    expect(plainSentence("invalid type: string \"x\", expected u32")).not.toMatch(/invalid type/);
    expect(plainSentence("")).toBe("Something went wrong. Try again.");
  });
});

describe("8. one British date style", () => {
  it("formats dates like 5 Dec 2026, 12:50 whatever the locale", () => {
    const ms = new Date(2026, 11, 5, 12, 50).getTime();
    expect(formatDateTime(ms)).toBe("5 Dec 2026, 12:50");
    expect(formatDay(ms)).toBe("5 Dec 2026");
    expect(formatDateTime(new Date(2027, 0, 9, 7, 5).getTime())).toBe("9 Jan 2027, 07:05");
  });
});

describe("7. Esc in the list clears the search", () => {
  it("goes back to the search box with it empty", async () => {
    render(Codes, { settings: DEFAULT_SETTINGS, onadd: () => {} });
    await rows();
    const search = screen.getByRole("searchbox", { name: "Search accounts" }) as HTMLInputElement;
    await fireEvent.input(search, { target: { value: "spine" } });
    const shown = screen.getAllByRole("button", { name: /press Enter/ });
    expect(shown).toHaveLength(2);
    shown[1].focus();
    await fireEvent.keyDown(shown[1], { key: "Escape" });
    expect(search.value).toBe("");
    expect(document.activeElement).toBe(search);
    expect(screen.getAllByRole("button", { name: /press Enter/ })).toHaveLength(4);
  });
});
