import { describe, expect, it } from "vitest";
import { deadlineTerms, describeDue, formatPolicyMinutes, formatSpan } from "./deadline-text";

const NOW = Date.parse("2026-12-01T12:00:00.000Z");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

describe("describeDue", () => {
  it("says how long until a request is due, in hours under two days", () => {
    expect(describeDue(at(3 * HOUR), NOW)).toEqual({ text: "Due in 3 h", isOverdue: false });
    expect(describeDue(at(2 * HOUR + 31 * MINUTE), NOW)).toEqual({ text: "Due in 3 h", isOverdue: false });
    expect(describeDue(at(47 * HOUR), NOW)).toEqual({ text: "Due in 47 h", isOverdue: false });
  });

  it("says how long a request is overdue", () => {
    expect(describeDue(at(-2 * HOUR), NOW)).toEqual({ text: "Overdue by 2 h", isOverdue: true });
    expect(describeDue(at(-(26 * HOUR)), NOW)).toEqual({ text: "Overdue by 26 h", isOverdue: true });
  });

  it("counts in minutes under an hour, and says so under a minute", () => {
    expect(describeDue(at(45 * MINUTE), NOW).text).toBe("Due in 45 min");
    expect(describeDue(at(-1 * MINUTE), NOW).text).toBe("Overdue by 1 min");
    expect(describeDue(at(20_000), NOW).text).toBe("Due in less than a minute");
    expect(describeDue(at(-20_000), NOW)).toEqual({ text: "Overdue by less than a minute", isOverdue: true });
  });

  it("switches to the next unit where the rounded number would reach it", () => {
    expect(describeDue(at(59 * MINUTE + 40_000), NOW).text).toBe("Due in 1 h");
    expect(describeDue(at(48 * HOUR), NOW).text).toBe("Due in 2 days");
    expect(describeDue(at(-(5 * 24 * HOUR + 3 * HOUR)), NOW).text).toBe("Overdue by 5 days");
  });

  it("treats the moment of the deadline as due, not overdue", () => {
    expect(describeDue(at(0), NOW)).toEqual({ text: "Due in less than a minute", isOverdue: false });
  });

  it("does not guess for a time it cannot read", () => {
    expect(describeDue("not a date", NOW)).toEqual({ text: "Due date unknown", isOverdue: false });
  });
});

describe("formatSpan", () => {
  it("reads the same whichever way the span points", () => {
    expect(formatSpan(-3 * HOUR)).toBe(formatSpan(3 * HOUR));
  });
});

describe("formatPolicyMinutes and deadlineTerms", () => {
  it("says a policy's durations exactly, in their largest whole unit", () => {
    expect(formatPolicyMinutes(45)).toBe("45 min");
    expect(formatPolicyMinutes(90)).toBe("1 h 30 min");
    expect(formatPolicyMinutes(1_440)).toBe("24 h");
    expect(formatPolicyMinutes(2_880)).toBe("2 days");
    expect(formatPolicyMinutes(2_940)).toBe("49 h");
  });

  it("words the deadline, the reminder and the expiry, or their absence", () => {
    expect(deadlineTerms({ deadlineMinutes: 1_440, reminderMinutesBefore: 120, expireAfterMinutes: null })).toBe(
      "due 24 h after each draft, reminder 2 h before, never expires",
    );
    expect(deadlineTerms({ deadlineMinutes: 240, reminderMinutesBefore: null, expireAfterMinutes: 2_880 })).toBe(
      "due 4 h after each draft, no reminder, expires 2 days after the deadline",
    );
  });
});
