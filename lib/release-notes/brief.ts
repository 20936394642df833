import { z } from "zod";
import { plainText } from "@/lib/text/plain-text";

export const MAX_BRIEF_LENGTH = 20_000;

/**
 * Collapses whitespace, trims and ends with a period — the form the writer sees (SPEC §9) — without control
 * characters or direction overrides (lib/text/plain-text.ts), so the brief reads as it is stored.
 */
export function normalizeBrief(raw: string): string {
  const collapsed = plainText(raw).split(/\s+/).filter(Boolean).join(" ").trim();
  if (collapsed === "") return "";
  return collapsed.endsWith(".") ? collapsed : `${collapsed}.`;
}

/**
 * A brief as submitted: refused before any run starts when it is empty after normalising, longer than
 * 20,000 characters, or holds control characters that are not whitespace (binary data).
 */
export const briefSchema = z
  .string({ error: "The brief must be text." })
  .refine((raw) => normalizeBrief(raw) !== "", { message: "The brief is empty. Describe what is being released." })
  .refine((raw) => raw.length <= MAX_BRIEF_LENGTH, {
    message: `The brief is too long: at most ${MAX_BRIEF_LENGTH.toLocaleString("en-US")} characters.`,
  })
  .refine((raw) => !/[\u0000-\u0008\u000B\u000E-\u001F\u007F\uFFFD]/.test(raw), {
    message: "The brief contains binary or control characters. Paste plain text.",
  });
