// "Show on screen for a phone" (issue 15): the QR code and key appear only after the app password,
// move focus to themselves, count down, and are dropped after the time limit or when the app locks.
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { tick } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import AccountDetails from "../components/AccountDetails.svelte";
import type { AccountDetails as Details, PhoneEnrolment } from "../lib/api";
import { live, mockApi, sandpit, snapshot } from "./fixtures";

const QR = "data:image/png;base64,iVBORw0KGgo=";

function details(over: Partial<Details> = {}): Details {
  return {
    id: "a1", keyChangedAtMs: null, hasPreviousKey: false, needsPassword: true, algorithm: "SHA1",
    recovery: { total: 0, remaining: 0, fewLeft: false, summary: "no recovery codes", warning: null, addedAtMs: null },
    ...over,
  };
}

function enrolment(over: Partial<PhoneEnrolment> = {}): PhoneEnrolment {
  return {
    id: "a1", issuer: "NHS Spine", account: "alice", environment: { kind: "live" }, qrDataUrl: QR,
    keyGrouped: "JBSW Y3DP EHPK 3PXP", settings: "Time-based (TOTP), SHA1, 6 digits, every 30 seconds", hideAfterSeconds: 60,
    ...over,
  };
}

let api: ReturnType<typeof mockApi>;
let lockedByRust: ((reason: string) => void) | undefined;
let unlistened = 0;

beforeEach(() => {
  // setInterval and Date are ours to move; setTimeout stays real so the DOM queries can wait.
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
  api = mockApi();
  lockedByRust = undefined;
  unlistened = 0;
  api.accountDetails.mockResolvedValue(details());
  api.currentCodes.mockImplementation(async () => snapshot(Date.now() + 20_000, Date.now()));
  api.onLocked.mockImplementation(async (f) => {
    lockedByRust = f;
    return () => void unlistened++;
  });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function showWithPassword() {
  render(AccountDetails, { account: live, onclose: () => {} });
  await fireEvent.click(await screen.findByRole("button", { name: "Show on screen for a phone…" }));
  const pw = screen.getByLabelText("App password (to show the key)");
  expect(document.activeElement).toBe(pw);
  await fireEvent.input(pw, { target: { value: "correct horse" } });
  await fireEvent.click(screen.getByRole("button", { name: "Show" }));
  return screen.findByRole("img", { name: /QR code to add/ });
}

describe("show on screen for a phone", () => {
  it("asks for the app password; a wrong one shows nothing", async () => {
    api.showForPhone.mockRejectedValueOnce("wrong password; the key stays hidden");
    render(AccountDetails, { account: live, onclose: () => {} });
    await fireEvent.click(await screen.findByRole("button", { name: "Show on screen for a phone…" }));
    await fireEvent.input(screen.getByLabelText("App password (to show the key)"), { target: { value: "nope" } });
    await fireEvent.click(screen.getByRole("button", { name: "Show" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Wrong password; the key stays hidden.");
    expect(api.showForPhone).toHaveBeenCalledWith("a1", "nope");
    expect(screen.queryByRole("img")).toBeNull();
    expect(screen.queryByText("JBSW Y3DP EHPK 3PXP")).toBeNull();
    // The password field is emptied after each try.
    expect((screen.getByLabelText("App password (to show the key)") as HTMLInputElement).value).toBe("");
  });

  it("shows the QR code, key, issuer, account and environment, with focus on the panel", async () => {
    api.showForPhone.mockResolvedValue(enrolment());
    const img = (await showWithPassword()) as HTMLImageElement;
    expect(api.showForPhone).toHaveBeenCalledWith("a1", "correct horse");
    expect(img.getAttribute("src")).toBe(QR);
    expect(img.getAttribute("alt")).toBe("QR code to add NHS Spine, alice, Live environment to a phone authenticator app");
    const panel = screen.getByRole("region", { name: "Scan with the phone: NHS Spine" });
    expect(document.activeElement).toBe(panel);
    expect(screen.getByText("JBSW Y3DP EHPK 3PXP")).toBeTruthy();
    expect(panel.querySelector("#phone-issuer")!.textContent).toBe("NHS Spine");
    expect(panel.querySelector("#phone-account")!.textContent).toBe("alice");
    // Environment in words and in colour (the badge with the env classes).
    const env = panel.querySelector("#phone-environment")!;
    expect(env.textContent).toContain("Live environment");
    expect(env.querySelector(".env.env-live")!.textContent).toContain("LIVE");
    expect(screen.getByRole("timer").textContent).toContain("Hides in 60 s");
  });

  it("needs no password when the vault has none", async () => {
    api.accountDetails.mockResolvedValue(details({ needsPassword: false }));
    api.showForPhone.mockResolvedValue(enrolment({ id: "a2", environment: { kind: "sandpit" } }));
    render(AccountDetails, { account: sandpit, onclose: () => {} });
    await fireEvent.click(await screen.findByRole("button", { name: "Show on screen for a phone…" }));
    expect(api.showForPhone).toHaveBeenCalledWith("a2", null);
    const img = await screen.findByRole("img");
    expect(img.getAttribute("alt")).toContain("Sandpit environment");
  });

  it("counts down and hides itself after 60 s", async () => {
    api.showForPhone.mockResolvedValue(enrolment());
    await showWithPassword();
    vi.advanceTimersByTime(1_000);
    await tick();
    expect(screen.getByRole("timer").textContent).toContain("Hides in 59 s");
    vi.advanceTimersByTime(58_000);
    await tick();
    expect(screen.getByRole("timer").textContent).toContain("Hides in 1 s");
    expect(screen.getByRole("img")).toBeTruthy();
    vi.advanceTimersByTime(1_000);
    await vi.waitFor(() => expect(screen.queryByRole("img")).toBeNull());
    expect(screen.queryByText("JBSW Y3DP EHPK 3PXP")).toBeNull();
    expect(screen.queryByRole("timer")).toBeNull();
    expect(screen.getByRole("status").textContent).toContain("hidden again");
    // Focus was in the panel: it goes back to the button that shows it again.
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByRole("button", { name: "Show on screen for a phone…" })));
  });

  it("drops the QR code and key as soon as the app locks", async () => {
    api.showForPhone.mockResolvedValue(enrolment());
    await showWithPassword();
    expect(lockedByRust).toBeTypeOf("function");
    lockedByRust!("idle");
    await vi.waitFor(() => expect(screen.queryByRole("img")).toBeNull());
    expect(screen.queryByText("JBSW Y3DP EHPK 3PXP")).toBeNull();
    expect(document.querySelector("#phone-panel")).toBeNull();
    expect(screen.getByRole("status").textContent).toContain("Locked");
  });

  it("can be hidden at once, and stops listening when the view closes", async () => {
    api.showForPhone.mockResolvedValue(enrolment());
    await showWithPassword();
    await fireEvent.click(screen.getByRole("button", { name: "Hide now" }));
    expect(screen.queryByRole("img")).toBeNull();
    cleanup();
    await vi.waitFor(() => expect(unlistened).toBe(1));
  });
});
