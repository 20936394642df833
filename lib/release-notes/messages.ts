import { z } from "zod";
import { defineMessageType, requestResponseOf } from "@/lib/workflow";

/** What a reviewer is asked (SPEC §9). */
export const HumanApprovalRequest = defineMessageType(
  "HumanApprovalRequest",
  z.object({ prompt: z.string(), draft: z.string(), iteration: z.number().int().positive() }),
);
export type HumanApprovalRequest = z.infer<typeof HumanApprovalRequest.schema>;

/** A reviewer's answer: "approve" (any case, trimmed) or revision guidance; empty means default guidance. */
export const reviewAnswerSchema = z.string().max(20_000, "Guidance is too long: at most 20,000 characters.");

export const HumanApprovalResponse = requestResponseOf(HumanApprovalRequest, reviewAnswerSchema);

/** SPEC §9: "approve", trimmed, in any case, approves; any other answer is revision guidance. */
export function isApprovalReply(answer: string): boolean {
  return answer.trim().toLowerCase() === "approve";
}

/** review_gateway's executor state. */
export interface ReviewGatewayState {
  iteration: number;
  lastDraft: string;
}

/** finalise's executor state. */
export interface FinaliseState {
  publishedText: string;
}
