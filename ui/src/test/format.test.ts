import { describe, expect, it } from "vitest";
import { environmentLabel, groupCode, matchesSearch, spokenCode, spokenEnvironment } from "../lib/format";
import { custom, live, plain, sandpit } from "./fixtures";

describe("codes as people read them", () => {
  it("groups six digits 3+3, eight 4+4, seven 3+4, leaves Steam's five alone", () => {
    expect(groupCode("123456")).toEqual(["123", "456"]);
    expect(groupCode("12345678")).toEqual(["1234", "5678"]);
    expect(groupCode("1234567")).toEqual(["123", "4567"]);
    expect(groupCode("5KX2M")).toEqual(["5KX2M"]);
  });
  it("spells codes digit by digit for screen readers", () => {
    expect(spokenCode("123456")).toBe("1 2 3, 4 5 6");
  });
  it("names environments in words", () => {
    expect(environmentLabel(live.environment)).toBe("LIVE");
    expect(environmentLabel(sandpit.environment)).toBe("SANDPIT");
    expect(environmentLabel(custom.environment)).toBe("Training");
    expect(environmentLabel(plain.environment)).toBe("");
    expect(spokenEnvironment(sandpit.environment)).toBe("Sandpit environment");
    expect(spokenEnvironment(plain.environment)).toBe("");
  });
  it("searches issuer, account and environment, every word must match", () => {
    expect(matchesSearch(live, "spine live")).toBe(true);
    expect(matchesSearch(sandpit, "spine live")).toBe(false);
    expect(matchesSearch(sandpit, "SANDPIT")).toBe(true);
    expect(matchesSearch(custom, "training")).toBe(true);
    expect(matchesSearch(custom, "trust.nhs")).toBe(true);
    expect(matchesSearch(plain, "")).toBe(true);
    expect(matchesSearch(plain, "live")).toBe(false);
  });
});
