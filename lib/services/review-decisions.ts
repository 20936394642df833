import { createHash } from "node:crypto";
import { z } from "zod";
import { isApprovalReply, type ReviewDecision } from "@/lib/release-notes";
import { plainText } from "@/lib/text/plain-text";
import { ServiceError } from "./errors";

/** Approvals are bound to the exact text approved: a different draft (a revision, an edit) has a different hash. */
export function draftSha256(draft: string): string {
  return createHash("sha256").update(draft, "utf8").digest("hex");
}

export const DECISION_KINDS = ["approve", "revise", "edit", "reject"] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** A reviewer's decision as the service takes it, normalized: inert text, and the draft hash the reviewer saw. */
export type ReviewerDecision =
  | { kind: "approve"; draftSha256?: string }
  | { kind: "revise"; guidance: string; draftSha256?: string }
  | { kind: "edit"; text: string; draftSha256?: string }
  | { kind: "reject"; reason: string; draftSha256?: string };

const MAX_TEXT = 20_000;
const longText = (what: string) =>
  z.string({ error: `${what} must be text.` }).max(MAX_TEXT, `${what} is too long: at most 20,000 characters.`);
const sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/, "draftSha256 must be the hex sha256 of the draft's text.")
  .optional();

/**
 * What the API, the dashboard and the CLI send: SPEC §9's text ("approve" or guidance), as before, or a decision
 * object. `draftSha256` (optional) is the hash of the draft the reviewer read; a decision on a draft that has
 * changed since is refused rather than applied to text nobody read.
 */
const decisionInputSchema = z.union([
  longText("The answer"),
  z.discriminatedUnion(
    "decision",
    [
      z.object({ decision: z.literal("approve"), draftSha256: sha256 }).strict(),
      z.object({ decision: z.literal("revise"), guidance: longText("Guidance"), draftSha256: sha256 }).strict(),
      z.object({ decision: z.literal("edit"), text: longText("The edited draft"), draftSha256: sha256 }).strict(),
      z.object({ decision: z.literal("reject"), reason: longText("The reason"), draftSha256: sha256 }).strict(),
    ],
    { error: `decision must be one of ${DECISION_KINDS.join(", ")}.` },
  ),
]);

/**
 * Parses one answer into a decision. Text is stored as applied: without controls or direction overrides.
 * @throws VALIDATION_FAILED with the field's problems
 */
export function parseDecision(value: unknown): ReviewerDecision {
  const parsed = decisionInputSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((issue) =>
      issue.code === "invalid_union" ? issue.errors.flat() : [issue],
    );
    const messages = [...new Set(issues.map((issue) => issue.message))];
    throw new ServiceError("VALIDATION_FAILED", messages[0] ?? "The answer is invalid.", {
      fieldErrors: { response: messages },
    });
  }
  const input = parsed.data;
  if (typeof input === "string")
    return isApprovalReply(input) ? { kind: "approve" } : { kind: "revise", guidance: plainText(input) };
  const seen = input.draftSha256 ? { draftSha256: input.draftSha256 } : {};
  switch (input.decision) {
    case "approve":
      return { kind: "approve", ...seen };
    case "revise":
      return { kind: "revise", guidance: plainText(input.guidance), ...seen };
    case "edit": {
      const text = plainText(input.text).trim();
      if (text === "")
        throw new ServiceError("VALIDATION_FAILED", "The edited draft is empty.", {
          fieldErrors: { text: ["The edited draft is empty."] },
        });
      return { kind: "edit", text, ...seen };
    }
    case "reject": {
      const reason = plainText(input.reason).trim();
      if (reason === "")
        throw new ServiceError("VALIDATION_FAILED", "Say why the draft is rejected: the reason is shown on the run.", {
          fieldErrors: { reason: ["A reason is required to reject a draft."] },
        });
      return { kind: "reject", reason, ...seen };
    }
  }
}

/** Whether a decision approves the draft (an edit approves the edited text): separation of duties applies. */
export function isApproving(decision: ReviewerDecision): boolean {
  return decision.kind === "approve" || decision.kind === "edit";
}

/** The answer the release-notes workflow receives for a decision; `publishesEdit` says whether an edit completes the review. */
export function engineAnswerOf(decision: ReviewerDecision, publishesEdit: boolean): ReviewDecision {
  switch (decision.kind) {
    case "approve":
      return { decision: "approve" };
    case "revise":
      return { decision: "revise", guidance: decision.guidance };
    case "edit":
      return { decision: "edit", text: decision.text, publish: publishesEdit };
    case "reject":
      return { decision: "reject", reason: decision.reason };
  }
}
