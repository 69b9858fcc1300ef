import { cleanup, fireEvent, render, screen, within } from "@testing-library/svelte";
import { computeAccessibleName } from "dom-accessibility-api";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import Codes from "../screens/Codes.svelte";
import { DEFAULT_SETTINGS } from "../lib/api";
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

describe("the codes screen", () => {
  it("asks the core for the order chosen in Settings, and again when it changes", async () => {
    const { rerender } = render(Codes, { settings: { ...DEFAULT_SETTINGS, sort: "name" }, onadd: () => {} });
    await rows();
    expect(api.listAccounts).toHaveBeenCalledWith("name");
    api.listAccounts.mockResolvedValue([plain, custom, sandpit, live]);
    await rerender({ settings: { ...DEFAULT_SETTINGS, sort: "environment" }, onadd: () => {} });
    await vi.waitFor(() => expect(api.listAccounts).toHaveBeenLastCalledWith("environment"));
    await vi.waitFor(async () => {
      const names = (await rows()).map((r) => r.querySelector(".issuer")?.textContent);
      expect(names[0]).toBe(plain.issuer);
    });
  });

  it("shows issuer, account, environment in colour and words, and the code grouped 3+3", async () => {
    render(Codes, { settings: DEFAULT_SETTINGS, onadd: () => {} });
    const [r1, r2, r3, r4] = await rows();
    expect(within(r1).getByText("NHS Spine")).toBeTruthy();
    expect(within(r1).getByText("alice")).toBeTruthy();
    const liveBadge = within(r1).getByText(/LIVE/);
    expect(liveBadge.className).toContain("env-live");
    const sandpitBadge = within(r2).getByText(/SANDPIT/);
    expect(sandpitBadge.className).toContain("env-sandpit");
    expect(within(r3).getByText(/Training/, { selector: ".env" }).className).toContain("env-custom");
    expect(r4.querySelector(".env")).toBeNull();
    // The code is two groups of digits with no space character between them (copying it gives 123456).
    const code = r1.querySelector(".code")!;
    expect(Array.from(code.querySelectorAll(".group")).map((g) => g.textContent)).toEqual(["123", "456"]);
    expect(code.textContent).toBe("123456");
    expect(r4.querySelector(".code")!.textContent).toBe("12345678");
    // The countdown shows the seconds as a number (beside the button, not in its name).
    expect(r1.closest("li")!.querySelector(".ring-seconds")!.textContent).toBe("20");
  });

  it("labels rows for screen readers with issuer, environment and the code digit by digit", async () => {
    render(Codes, { settings: DEFAULT_SETTINGS, onadd: () => {} });
    const [r1, r2] = await rows();
    // The countdown is in the label of the focused row only (labels that change every second cost CPU).
    r1.focus();
    await vi.waitFor(() =>
      expect(computeAccessibleName(r1)).toBe(
        "NHS Spine, Live environment, alice, code 1 2 3, 4 5 6, 20 seconds left, press Enter to copy",
      ),
    );
    expect(computeAccessibleName(r2)).toBe("NHS Spine, Sandpit environment, alice, code 6 5 4, 3 2 1, press Enter to copy");
    expect(computeAccessibleName(r2)).toContain("Sandpit environment");
  });

  it("copies on click and on Enter, through the shell (which copies without the space)", async () => {
    render(Codes, { settings: DEFAULT_SETTINGS, onadd: () => {} });
    const [r1, r2] = await rows();
    await fireEvent.click(r1);
    expect(api.copyCode).toHaveBeenCalledWith("a1");
    expect(await screen.findByRole("status")).toHaveProperty("textContent", "Copied the code for NHS Spine, alice, Live environment. The clipboard is cleared in 30 s.");
    // A <button> turns Enter into a click; jsdom doesn't, so check the wiring it relies on.
    expect(r2.tagName).toBe("BUTTON");
  });

  it("filters as you type by issuer, account or environment", async () => {
    render(Codes, { settings: DEFAULT_SETTINGS, onadd: () => {} });
    await rows();
    const search = screen.getByRole("searchbox", { name: "Search accounts" });
    await fireEvent.input(search, { target: { value: "sandpit" } });
    let shown = screen.getAllByRole("button", { name: /press Enter/ });
    expect(shown).toHaveLength(1);
    expect(computeAccessibleName(shown[0])).toContain("Sandpit");
    await fireEvent.input(search, { target: { value: "trust" } });
    shown = screen.getAllByRole("button", { name: /press Enter/ });
    expect(computeAccessibleName(shown[0])).toContain("EPR");
    await fireEvent.input(search, { target: { value: "nothing like it" } });
    expect(screen.queryAllByRole("button", { name: /press Enter/ })).toHaveLength(0);
    expect(screen.getByText(/Nothing matches/)).toBeTruthy();
  });

  it("moves between rows with the arrow keys and back to search from the top", async () => {
    render(Codes, { settings: DEFAULT_SETTINGS, onadd: () => {} });
    const [r1, r2] = await rows();
    const search = screen.getByRole("searchbox");
    search.focus();
    await fireEvent.keyDown(search, { key: "ArrowDown" });
    expect(document.activeElement).toBe(r1);
    await fireEvent.keyDown(r1, { key: "ArrowDown" });
    expect(document.activeElement).toBe(r2);
    await fireEvent.keyDown(r2, { key: "ArrowUp" });
    await fireEvent.keyDown(r1, { key: "ArrowUp" });
    expect(document.activeElement).toBe(search);
  });

  it("hides codes until clicked when asked to", async () => {
    render(Codes, { settings: { ...DEFAULT_SETTINGS, hideCodes: true }, onadd: () => {} });
    await screen.findAllByText("••• •••");
    const [r1] = screen.getAllByRole("button", { name: /press Enter/ });
    expect(computeAccessibleName(r1)).toContain("code hidden");
    expect(r1.textContent).not.toContain("123");
    await fireEvent.click(r1);
    expect(api.copyCode).toHaveBeenCalledWith("a1");
    expect(r1.querySelector(".code")!.textContent).toBe("123456");
  });

  it("shows the next code when fewer than 5 seconds remain", async () => {
    api.currentCodes.mockResolvedValue(snapshot(Date.now() + 3_500, Date.now()));
    render(Codes, { settings: DEFAULT_SETTINGS, onadd: () => {} });
    const [r1] = await rows();
    expect(r1.querySelector(".next")!.getAttribute("data-next")).toBe("654321");
  });

  it("invites to add the first account on an empty vault", async () => {
    api.listAccounts.mockResolvedValue([]);
    api.currentCodes.mockResolvedValue({ nowMs: Date.now(), codes: [] });
    const onadd = vi.fn();
    render(Codes, { settings: DEFAULT_SETTINGS, onadd });
    await fireEvent.click(await screen.findByRole("button", { name: "Add your first account" }));
    expect(onadd).toHaveBeenCalled();
  });
});
