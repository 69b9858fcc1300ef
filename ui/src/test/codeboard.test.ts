import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CodeBoard } from "../lib/codeboard.svelte";
import { snapshot } from "./fixtures";

describe("CodeBoard refreshes at period boundaries", () => {
  const start = Date.UTC(2026, 10, 22, 12, 0, 10); // 20 s before a 30 s boundary
  const boundary = Date.UTC(2026, 10, 22, 12, 0, 30);
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(start);
  });
  afterEach(() => vi.useRealTimers());

  it("fetches once, then exactly once per boundary, and counts seconds down", async () => {
    let n = 0;
    const fetch = vi.fn(async () => snapshot(boundary + 30_000 * n++, Date.now()));
    const board = new CodeBoard(fetch);
    board.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(board.shown("a1")).toMatchObject({ current: "123456", secondsLeft: 20, next: null });

    await vi.advanceTimersByTimeAsync(16_010); // 4 s left (ticks land a few ms after the second): the next code is shown too
    expect(board.shown("a1")).toMatchObject({ secondsLeft: 4, next: "654321" });
    expect(fetch).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(4_100); // just past the boundary
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(board.shown("a1")?.secondsLeft).toBe(30);

    // Hours later the codes still come from the current period: one fetch per boundary, no drift.
    await vi.advanceTimersByTimeAsync(30_000 * 120);
    expect(fetch).toHaveBeenCalledTimes(122);
    board.stop();
  });

  it("shows the already-known next code at the boundary while the refresh is still on its way", async () => {
    let resolveSecond: (v: ReturnType<typeof snapshot>) => void = () => {};
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(snapshot(boundary, start))
      .mockImplementationOnce(() => new Promise((r) => (resolveSecond = r)));
    const board = new CodeBoard(fetch);
    board.start();
    await vi.advanceTimersByTimeAsync(20_300);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(board.shown("a1")).toMatchObject({ current: "654321", next: null });
    resolveSecond(snapshot(boundary + 30_000, Date.now()));
    board.stop();
  });

  it("fetches once more in a period's last seconds when Rust sent no next code yet", async () => {
    const withoutNext = () => {
      const s = snapshot(boundary, Date.now());
      return { ...s, codes: s.codes.map((c) => ({ ...c, next: null })) };
    };
    const fetch = vi
      .fn()
      .mockImplementationOnce(async () => withoutNext())
      .mockImplementationOnce(async () => snapshot(boundary, Date.now()))
      .mockImplementation(async () => snapshot(boundary + 30_000, Date.now()));
    const board = new CodeBoard(fetch);
    board.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(board.shown("a1")).toMatchObject({ secondsLeft: 20, next: null });
    await vi.advanceTimersByTimeAsync(15_010); // 5 s left: not yet
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000); // 4 s left: the next codes are fetched, once
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(board.shown("a1")).toMatchObject({ secondsLeft: 4, next: "654321" });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1_100); // past the boundary: the usual refresh
    expect(fetch).toHaveBeenCalledTimes(3);
    board.stop();
  });

  it("reports HOTP codes without a countdown", async () => {
    const fetch = vi.fn(async () => ({ nowMs: start, codes: [{ id: "h", current: "755224", next: null, validUntilMs: null, period: null }] }));
    const board = new CodeBoard(fetch);
    await board.refresh();
    expect(board.shown("h")).toMatchObject({ current: "755224", secondsLeft: null });
  });
});
