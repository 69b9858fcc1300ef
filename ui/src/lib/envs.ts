import type { Environment } from "./api";

export function sameEnvironment(a: Environment, b: Environment): boolean {
  return a.kind === b.kind && (a.kind !== "custom" || (a.name ?? "").trim().toLowerCase() === (b.name ?? "").trim().toLowerCase());
}
