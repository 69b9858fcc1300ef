import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, fireEvent } from "@testing-library/svelte";
import { tick } from "svelte";

vi.mock("../lib/api", async (orig) => {
  const real = await orig<typeof import("../lib/api")>();
  return {
    ...real,
    api: {
      ...real.api,
      policyStatus: vi.fn(async () => ({
        source: "/etc/tessera/policy.toml",
        error: null,
        values: {},
        fixed: ["environments"],
        warnings: [],
        plainExportAllowed: true,
        requiresPassword: false,
        networkClockCheck: true,
        maxAutoLockMinutes: null,
        maxClipboardSeconds: null,
        environments: ["Training"],
        backupFolder: null,
        requireBackup: false,
      })),
    },
  };
});

import EnvironmentPicker from "../components/EnvironmentPicker.svelte";
import { orgPolicy } from "../lib/policy.svelte";

describe("EnvironmentPicker with the organisation's environments", () => {
  beforeEach(async () => {
    await orgPolicy.load();
  });

  it("offers the policy's names beside Live and Sandpit, each as its own choice", async () => {
    const { container, getByLabelText } = render(EnvironmentPicker, {
      props: { value: { kind: "none" }, id: "env" },
    });
    const training = getByLabelText("Training") as HTMLInputElement;
    expect(training).toBeTruthy();
    await fireEvent.click(training);
    await tick();
    expect(training.checked).toBe(true);
    // "Other…" is not ticked and its free-text name box is not shown for a policy name.
    expect((container.querySelector("#env-custom") as HTMLInputElement).checked).toBe(false);
    expect(container.querySelector("#env-name")).toBeNull();
  });
});
