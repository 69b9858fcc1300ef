import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CodeBoard } from "../lib/codeboard.svelte";
import { documentVisibility, Pacer, type Visibility } from "../lib/pacer";
import { snapshot } from "./fixtures";

/** A window whose visibility the test switches. */
function fakeWindow(initiallyVisible = true) {
  let visible = initiallyVisible;
  const listeners = new Set<() => void>();
  const visibility: Visibility = {
    visible: () => visible,
    subscribe(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
  return {
    visibility,
    listeners,
    set(v: boolean) {
      visible = v;
      for (const cb of [...listeners]) cb();
    },
  };
}

const start = Date.UTC(2026, 10, 22, 12, 0, 10, 400); // 19.6 s before a 30 s boundary
const boundary = Date.UTC(2026, 10, 22, 12, 0, 30);

describe("Pacer: at most one tick per second, none while hidden", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(start);
  });
  afterEach(() => vi.useRealTimers());

  it("ticks once per second, on the second of the given phase", async () => {
    const win = fakeWindow();
    const ticks: number[] = [];
    const pacer = new Pacer({ visibility: win.visibility, onShown: () => {}, onTick: (t) => ticks.push(t), phase: () => boundary });
    pacer.start();
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ticks.length).toBe(10);
    // Every tick lands a few ms after a whole second counted from the boundary.
    for (const t of ticks) expect(((t - boundary) % 1000 + 1000) % 1000).toBeLessThan(20);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i] - ticks[i - 1]).toBe(1000);
    expect(vi.getTimerCount()).toBe(1);
    pacer.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("has no timer at all while hidden and does nothing, then calls onShown at once when shown", async () => {
    const win = fakeWindow();
    const onTick = vi.fn();
    const onShown = vi.fn();
    const pacer = new Pacer({ visibility: win.visibility, onShown, onTick });
    pacer.start();
    expect(onShown).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(onTick).toHaveBeenCalledTimes(3);

    win.set(false);
    expect(pacer.armed).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(onTick).toHaveBeenCalledTimes(3);
    expect(onShown).toHaveBeenCalledTimes(1);

    win.set(true);
    expect(onShown).toHaveBeenCalledTimes(2);
    expect(pacer.armed).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(onTick).toHaveBeenCalledTimes(4);
    pacer.stop();
    expect(win.listeners.size).toBe(0);
  });

  it("starting hidden arms nothing until the window is shown", async () => {
    const win = fakeWindow(false);
    const onShown = vi.fn();
    const pacer = new Pacer({ visibility: win.visibility, onShown, onTick: vi.fn() });
    pacer.start();
    expect(onShown).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
    win.set(true);
    expect(onShown).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(1);
    pacer.stop();
  });

  it("follows document.visibilityState", async () => {
    let state: DocumentVisibilityState = "visible";
    const spy = vi.spyOn(document, "visibilityState", "get").mockImplementation(() => state);
    const onShown = vi.fn();
    const pacer = new Pacer({ visibility: documentVisibility(), onShown, onTick: vi.fn() });
    pacer.start();
    expect(vi.getTimerCount()).toBe(1);
    state = "hidden";
    document.dispatchEvent(new Event("visibilitychange"));
    expect(vi.getTimerCount()).toBe(0);
    state = "visible";
    document.dispatchEvent(new Event("visibilitychange"));
    expect(onShown).toHaveBeenCalledTimes(2);
    expect(vi.getTimerCount()).toBe(1);
    pacer.stop();
    spy.mockRestore();
  });
});

describe("CodeBoard with a hidden window", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(start);
  });
  afterEach(() => vi.useRealTimers());

  it("fetches nothing and keeps no timer while hidden; shown again, the codes are right at once (boundary refresh)", async () => {
    const win = fakeWindow();
    // Each fetch answers with codes for the period the (fake) clock is in.
    const fetch = vi.fn(async () => {
      const now = Date.now();
      const until = boundary + Math.max(0, Math.ceil((now - boundary + 1) / 30_000)) * 30_000;
      return { ...snapshot(until, now), codes: snapshot(until, now).codes.map((c) => ({ ...c, current: String(until / 1000 % 1e6).padStart(6, "0") })) };
    });
    const board = new CodeBoard(fetch, () => Date.now(), win.visibility);
    board.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(1);
    const first = board.shown("a1")!;
    expect(first.secondsLeft).toBe(20);

    win.set(false);
    await vi.advanceTimersByTimeAsync(5 * 60_000 + 7_000); // ten boundaries pass unseen
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);

    win.set(true);
    await vi.advanceTimersByTimeAsync(0); // no tick needed: the refresh starts the moment it is shown
    expect(fetch).toHaveBeenCalledTimes(2);
    const now = Date.now();
    const expectedUntil = boundary + Math.ceil((now - boundary + 1) / 30_000) * 30_000;
    expect(board.shown("a1")).toMatchObject({
      current: String(expectedUntil / 1000 % 1e6).padStart(6, "0"),
      secondsLeft: Math.ceil((expectedUntil - now) / 1000),
    });
    board.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("updates what is shown at most once per second", async () => {
    const win = fakeWindow();
    const board = new CodeBoard(async () => snapshot(boundary, Date.now()), () => Date.now(), win.visibility);
    board.start();
    await vi.advanceTimersByTimeAsync(0);
    const seen: number[] = [];
    let last = board.now;
    for (let i = 0; i < 5000; i += 50) {
      await vi.advanceTimersByTimeAsync(50);
      if (board.now !== last) seen.push(board.now), (last = board.now);
    }
    expect(seen.length).toBe(5);
    board.stop();
  });
});
