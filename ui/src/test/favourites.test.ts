import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import Codes from "../screens/Codes.svelte";
import { DEFAULT_SETTINGS } from "../lib/api";
import { custom, live, mockApi, plain, sandpit, snapshot } from "./fixtures";

let api: ReturnType<typeof mockApi>;
beforeEach(() => {
  api = mockApi();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("favourites and the start-up answer on the codes screen", () => {
  it("paints the codes that came with the start-up answer without asking again, favourites first", async () => {
    const initial = { accounts: [live, sandpit, { ...custom, favourite: true }, plain], codes: snapshot(Date.now() + 20_000, Date.now()) };
    render(Codes, { settings: DEFAULT_SETTINGS, onadd: () => {}, initial });
    const rows = await screen.findAllByRole("button", { name: /press Enter/ });
    expect(rows.map((r) => r.getAttribute("data-account-id"))).toEqual(["a3", "a1", "a2", "a4"]);
    expect(rows[0].querySelector(".code")!.textContent).toBe("000111");
    expect(api.listAccounts).not.toHaveBeenCalled();
    expect(api.currentCodes).not.toHaveBeenCalled();
  });

  it("marks and unmarks a favourite from its star", async () => {
    api.listAccounts.mockResolvedValue([live, sandpit]);
    api.currentCodes.mockResolvedValue(snapshot(Date.now() + 20_000, Date.now()));
    api.setFavourite.mockResolvedValue(undefined);
    render(Codes, { settings: DEFAULT_SETTINGS, onadd: () => {} });
    const stars = await screen.findAllByRole("button", { name: /^Favourite: NHS Spine/ });
    expect(stars[1].getAttribute("aria-pressed")).toBe("false");
    await fireEvent.click(stars[1]); // the Sandpit twin
    expect(api.setFavourite).toHaveBeenCalledWith("a2", true);
    const rows = await screen.findAllByRole("button", { name: /press Enter/ });
    expect(rows[0].getAttribute("data-account-id")).toBe("a2");
    const starred = screen.getAllByRole("button", { name: /^Favourite: NHS Spine/ });
    expect(starred[0].getAttribute("aria-pressed")).toBe("true");
    await fireEvent.click(starred[0]);
    expect(api.setFavourite).toHaveBeenLastCalledWith("a2", false);
  });
});
