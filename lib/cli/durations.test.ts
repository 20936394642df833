import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { formatDueIn, formatDuration, parseDuration, parseDurationOrOff } from "./durations";

const NOW = Date.parse("2026-12-01T09:00:00.000Z");
const inMinutes = (minutes: number, seconds = 0) => new Date(NOW + minutes * 60_000 + seconds * 1_000).toISOString();

describe("durations on the command line", () => {
  it("reads days, hours and minutes, largest unit first, in any case and around spaces", () => {
    expect(parseDuration("90m")).toBe(90);
    expect(parseDuration("24h")).toBe(1_440);
    expect(parseDuration("2d")).toBe(2_880);
    expect(parseDuration("1h30m")).toBe(90);
    expect(parseDuration("1d12h")).toBe(2_160);
    expect(parseDuration(" 1D2H3M ")).toBe(1_563);
  });

  it.each([
    ["90", "add a unit: 90m, 90h or 90d"],
    ["30s", "whole minutes at least: use m, h or d"],
    ["1.5h", "whole numbers only (90m rather than 1.5h)"],
    ["1,5h", "whole numbers only"],
    ["30m1h", "not a duration"],
    ["1 h", "not a duration"],
    ["-1h", "not a duration"],
    ["1w", "not a duration"],
    ["", "not a duration"],
    ["0h", "must be at least 1m"],
    ["9".repeat(400) + "d", "too long"],
  ])("refuses %j as a usage error saying what to type", (text, message) => {
    expect(() => parseDuration(text)).toThrow(InvalidArgumentError);
    expect(() => parseDuration(text)).toThrow(message);
  });

  it("reads off, and refuses zero in favour of off", () => {
    expect(parseDurationOrOff("off")).toBe("off");
    expect(parseDurationOrOff(" OFF")).toBe("off");
    expect(parseDurationOrOff("2h")).toBe(120);
    expect(() => parseDurationOrOff("0")).toThrow("to turn it off, say off");
    expect(() => parseDurationOrOff("0m")).toThrow("to turn it off, say off");
    expect(() => parseDurationOrOff("soon")).toThrow(/^not a duration: .*; or off$/);
  });

  it("writes minutes back as parseDuration reads them", () => {
    expect([0, 1, 45, 60, 90, 1_440, 1_441, 2_160, 525_600].map(formatDuration)).toEqual([
      "0m",
      "1m",
      "45m",
      "1h",
      "1h30m",
      "1d",
      "1d1m",
      "1d12h",
      "365d",
    ]);
    for (const minutes of [1, 59, 61, 1_439, 1_500, 10_081])
      expect(parseDuration(formatDuration(minutes))).toBe(minutes);
  });

  it("says how far a deadline is, to the minute, in its two largest units", () => {
    expect(formatDueIn(inMinutes(180), NOW)).toBe("in 3h");
    expect(formatDueIn(inMinutes(-120), NOW)).toBe("overdue 2h");
    expect(formatDueIn(inMinutes(45), NOW)).toBe("in 45m");
    expect(formatDueIn(inMinutes(1_590), NOW)).toBe("in 1d2h"); // 1d2h30m
    expect(formatDueIn(inMinutes(-1_445), NOW)).toBe("overdue 1d5m");
    expect(formatDueIn(inMinutes(59, 40), NOW)).toBe("in 1h");
    expect(formatDueIn(inMinutes(0, 20), NOW)).toBe("now");
    expect(formatDueIn(inMinutes(0, -29), NOW)).toBe("now");
  });
});
