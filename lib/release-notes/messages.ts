import { z } from "zod";
import { defineMessageType, requestResponseOf } from "@/lib/workflow";

/**
 * What a reviewer is asked (SPEC §9). A draft a reviewer edited (and that needs more approvals before it is
 * published) is asked about again, naming the request whose draft was edited (whose answer says who edited it);
 * `editedFrom` is absent from every request before review decisions existed.
 */
export const HumanApprovalRequest = defineMessageType(
  "HumanApprovalRequest",
  z.object({
    prompt: z.string(),
    draft: z.string(),
    iteration: z.number().int().positive(),
    editedFrom: z.string().optional(),
  }),
);
export type HumanApprovalRequest = z.infer<typeof HumanApprovalRequest.schema>;

const MAX_TEXT = 20_000;
const text = (what: string) => z.string().max(MAX_TEXT, `${what} is too long: at most 20,000 characters.`);

/**
 * A decision on a draft. `edit` replaces the draft with the reviewer's text: `publish` says whether that approval
 * completes the review (the service decides, from the run's approval policy); otherwise the edited text is asked
 * about again. `reject` ends the run without publishing.
 */
export const reviewDecisionSchema = z.discriminatedUnion("decision", [
  z.object({ decision: z.literal("approve") }),
  z.object({ decision: z.literal("revise"), guidance: text("Guidance") }),
  z.object({
    decision: z.literal("edit"),
    text: text("The edited draft").refine((value) => value.trim() !== "", "The edited draft is empty."),
    publish: z.boolean(),
  }),
  z.object({
    decision: z.literal("reject"),
    reason: text("The reason").refine((value) => value.trim() !== "", "Say why the draft is rejected."),
  }),
]);
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

/**
 * A reviewer's answer: the SPEC §9 text ("approve", any case, trimmed, or revision guidance; empty means default
 * guidance), as every answer before review decisions was, or a structured decision.
 */
export const reviewAnswerSchema = z.union([text("Guidance"), reviewDecisionSchema]);
export type ReviewAnswer = z.infer<typeof reviewAnswerSchema>;

export const HumanApprovalResponse = requestResponseOf(HumanApprovalRequest, reviewAnswerSchema);

/** SPEC §9: "approve", trimmed, in any case, approves; any other answer is revision guidance. */
export function isApprovalReply(answer: string): boolean {
  return answer.trim().toLowerCase() === "approve";
}

/** Any answer as a decision: text answers are an approval or revision guidance (SPEC §9). */
export function decisionOf(answer: ReviewAnswer): ReviewDecision {
  if (typeof answer !== "string") return answer;
  return isApprovalReply(answer) ? { decision: "approve" } : { decision: "revise", guidance: answer };
}

/** review_gateway's executor state: the draft under review, and once a reviewer rejected it, why. */
export interface ReviewGatewayState {
  iteration: number;
  lastDraft: string;
  rejection?: { reason: string };
}

/** finalise's executor state. */
export interface FinaliseState {
  publishedText: string;
}
