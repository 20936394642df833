/**
 * Durations on the command line (`policy set --deadline 24h --remind-before 90m --expire-after 2d`): whole
 * numbers of days, hours and minutes, largest unit first, without spaces (`1d12h`, `1h30m`). The services count
 * minutes; this is only how people type and read them. Ranges (at least a minute, at most a year, a reminder
 * before the deadline) are the services' rules and are checked there.
 */
import { InvalidArgumentError } from "commander";

const UNITS = [
  { unit: "d", minutes: 1_440 },
  { unit: "h", minutes: 60 },
  { unit: "m", minutes: 1 },
] as const;

const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;
const EXAMPLES = "like 90m, 24h, 2d or 1h30m";

/**
 * Minutes in `text`: `90m`, `24h`, `2d`, `1d12h`. Refuses, with a message saying what to type instead, a bare
 * number (minutes or hours?), seconds, fractions, zero and anything else.
 * @throws InvalidArgumentError (commander reports it as a usage error, exit code 3)
 */
export function parseDuration(text: string): number {
  const value = text.trim().toLowerCase();
  if (/^\d+$/.test(value)) throw new InvalidArgumentError(`add a unit: ${value}m, ${value}h or ${value}d`);
  if (/^\d+(?:\.\d+)?s$/.test(value)) throw new InvalidArgumentError("whole minutes at least: use m, h or d");
  if (/\d[.,]\d/.test(value)) throw new InvalidArgumentError(`whole numbers only (90m rather than 1.5h), ${EXAMPLES}`);
  const match = value === "" ? null : DURATION.exec(value);
  if (!match) throw new InvalidArgumentError(`not a duration: use whole days, hours and minutes, ${EXAMPLES}`);
  const minutes = UNITS.reduce((sum, { minutes: size }, index) => sum + Number(match[index + 1] ?? 0) * size, 0);
  if (minutes === 0) throw new InvalidArgumentError("must be at least 1m");
  if (!Number.isSafeInteger(minutes)) throw new InvalidArgumentError("too long");
  return minutes;
}

/**
 * Like {@link parseDuration}, or `"off"` (the timer is turned off). `0m` is refused: say `off`. Not null for off:
 * commander stores a parser's null as "".
 */
export function parseDurationOrOff(text: string): number | "off" {
  const value = text.trim().toLowerCase();
  if (value === "off") return "off";
  if (/^0+[dhm]?$/.test(value)) throw new InvalidArgumentError("to turn it off, say off");
  try {
    return parseDuration(value);
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new InvalidArgumentError(`${error.message}; or off`);
    throw error;
  }
}

/** `minutes` as {@link parseDuration} reads it back, exactly: 1440 → `1d`, 90 → `1h30m`, 1441 → `1d1m`. */
export function formatDuration(minutes: number): string {
  let rest = Math.max(0, Math.round(minutes));
  if (rest === 0) return "0m";
  let text = "";
  for (const { unit, minutes: size } of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) text += `${count}${unit}`;
  }
  return text;
}

/**
 * How far `dueAt` is from `now`, for a glance: `in 3h`, `overdue 2h`, `now` (within half a minute). Rounded to the
 * minute and cut to its two largest units (`in 1d2h` for 1d2h30m, `overdue 45m`); where the exact time matters,
 * print it beside.
 */
export function formatDueIn(dueAt: string, now: number): string {
  const difference = Date.parse(dueAt) - now;
  const minutes = Math.round(Math.abs(difference) / 60_000);
  if (minutes === 0) return "now";
  const text = formatDuration(minutes)
    .split(/(?<=[dhm])/)
    .slice(0, 2)
    .join("");
  return difference > 0 ? `in ${text}` : `overdue ${text}`;
}
