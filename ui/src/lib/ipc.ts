// Every command call goes through here: a rejected command becomes an `IpcFailure` carrying the kind
// Rust decided (src-tauri/src/ipc_error, from the core's error variant) and the core's sentence, so
// screens act on the kind ("locked" → the lock screen) and never guess from the words.
import { invoke as tauriInvoke, type InvokeArgs, type InvokeOptions } from "@tauri-apps/api/core";
import type { ErrorKind, IpcError } from "./ipc.gen";
export type { ErrorKind, IpcError };

const KINDS: readonly ErrorKind[] = [
  "locked", "wrongPassword", "changedOnDisk", "policy", "keychainUnavailable", "conflict", "badInput", "cancelled", "other",
];

/** A failed command: `kind` says what to do, `message` (and `String(failure)`) is the sentence. */
export class IpcFailure extends Error {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.name = "IpcFailure";
    this.kind = kind;
  }

  /** The sentence alone, so code that shows `String(e)` keeps showing just the sentence. */
  override toString(): string {
    return this.message;
  }
}

function isIpcError(e: unknown): e is IpcError {
  if (typeof e !== "object" || e === null) return false;
  const { kind, message } = e as Record<string, unknown>;
  return typeof message === "string" && KINDS.includes(kind as ErrorKind);
}

/**
 * Whatever a command rejected with, as an `IpcFailure`: the shell's `{ kind, message }`; anything else
 * (Tauri's own refusals such as a missing argument, a bare sentence) is kind "other" with its words.
 */
export function toFailure(e: unknown): IpcFailure {
  if (e instanceof IpcFailure) return e;
  if (isIpcError(e)) return new IpcFailure(e.kind, e.message);
  if (e instanceof Error) return new IpcFailure("other", e.message);
  return new IpcFailure("other", String(e));
}

/** The kind of any error a screen caught ("other" for anything that did not come from a command). */
export function errorKind(e: unknown): ErrorKind {
  return toFailure(e).kind;
}

/**
 * Told about every failure of `kind`, whichever screen made the call: App.svelte goes to the lock
 * screen on "locked" (even if it missed the lock event) and re-reads the vault on "changedOnDisk".
 * Returns the function that stops listening.
 */
const listeners = new Map<ErrorKind, Set<() => void>>();
export function onFailure(kind: ErrorKind, f: () => void): () => void {
  const set = listeners.get(kind) ?? new Set();
  listeners.set(kind, set.add(f));
  return () => void set.delete(f);
}

/** Tauri's `invoke`, with every rejection turned into an `IpcFailure`. */
export async function invoke<T>(cmd: string, args?: InvokeArgs, options?: InvokeOptions): Promise<T> {
  try {
    return await tauriInvoke<T>(cmd, args, options);
  } catch (e) {
    const failure = toFailure(e);
    for (const f of listeners.get(failure.kind) ?? []) f();
    throw failure;
  }
}
