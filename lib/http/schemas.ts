import { z } from "zod";
import { runStatuses } from "@/lib/services";

/**
 * The shapes of the HTTP API's bodies and query strings. They check types and sizes only; the services layer
 * owns the rules about content (an empty or binary brief, an over-long answer) and reports them with the
 * same VALIDATION_FAILED code.
 */

const OBJECT_MESSAGE = "The request body must be a JSON object.";

/**
 * An answer: text ("approve" or guidance for a revision), or a decision object such as `{ "decision": "reject",
 * "reason": "…" }`; the services layer checks the decision's fields (lib/services/review-decisions.ts).
 */
const answerSchema = z.union([z.string(), z.looseObject({ decision: z.string() })], {
  error: 'The answer must be text ("approve" or guidance for a revision) or a decision object with a "decision" field.',
});

/** `{ [requestId]: answer }` */
const responsesSchema = z.record(z.string().min(1, "A request id must not be empty."), answerSchema, {
  error: "responses must be an object mapping request ids to answers.",
});

/** Who submits comes from the session or API key; a `submittedBy` field in the body is ignored. */
export const createRunBodySchema = z.object(
  { brief: z.string({ error: "The brief must be text." }) },
  { error: OBJECT_MESSAGE },
);
export type CreateRunBody = z.infer<typeof createRunBodySchema>;

/**
 * Exactly one answer per call: the release-notes workflow has at most one pending request at a time, and
 * answering it starts the run again, so a second answer in the same call could never be applied. Parsed into
 * `{ requestId, response }`; who answers comes from the session or API key (a `respondedBy` field is ignored).
 */
export const answerRequestBodySchema = z
  .object(
    {
      responses: responsesSchema.transform((responses, ctx) => {
        const entries = Object.entries(responses);
        const [entry] = entries;
        if (!entry || entries.length > 1) {
          ctx.issues.push({
            code: "custom",
            input: responses,
            message: `Answer exactly one request per call, e.g. { "responses": { "<requestId>": "approve" } }; got ${entries.length}.`,
          });
          return z.NEVER;
        }
        return { requestId: entry[0], response: entry[1] };
      }),
    },
    { error: OBJECT_MESSAGE },
  )
  .transform(({ responses }) => responses);
export type AnswerRequestBody = z.infer<typeof answerRequestBodySchema>;

/**
 * `branch: true` answers a request that was already answered from this checkpoint differently, on purpose, as
 * a new branch of history; without it such an answer is refused (REQUEST_ALREADY_ANSWERED), so two clients
 * racing on one request cannot both win.
 */
export const resumeBodySchema = z.object(
  {
    responses: responsesSchema.optional(),
    branch: z.boolean({ error: "branch must be true or false." }).optional(),
    /** Required to re-open a completed run (admins only); kept in the run's audit trail. */
    reason: z.string({ error: "reason must be text." }).max(2_000, "reason: at most 2,000 characters.").optional(),
  },
  { error: OBJECT_MESSAGE },
);
export type ResumeBody = z.infer<typeof resumeBodySchema>;

export const listRunsQuerySchema = z.object({
  status: z.enum(runStatuses, { error: `status must be one of ${runStatuses.join(", ")}.` }).optional(),
  limit: z.coerce
    .number({ error: "limit must be a whole number from 1 to 200." })
    .int("limit must be a whole number from 1 to 200.")
    .min(1, "limit must be a whole number from 1 to 200.")
    .max(200, "limit must be a whole number from 1 to 200.")
    .optional(),
  cursor: z.string().max(1_000, "cursor is not valid; start again from the first page.").optional(),
});
export type ListRunsQuery = z.infer<typeof listRunsQuerySchema>;

export const listReviewsQuerySchema = z.object({
  limit: z.coerce
    .number({ error: "limit must be a whole number from 1 to 1000." })
    .int("limit must be a whole number from 1 to 1000.")
    .min(1, "limit must be a whole number from 1 to 1000.")
    .max(1_000, "limit must be a whole number from 1 to 1000.")
    .optional(),
  /** `me`: only runs assigned to the person asking. */
  assigned: z.enum(["me", "all"], { error: "assigned must be me or all." }).optional(),
});
export type ListReviewsQuery = z.infer<typeof listReviewsQuerySchema>;

/** The policy fields to change (each optional); the services layer checks their ranges. */
export const reviewPolicyBodySchema = z.object(
  {
    requiredApprovals: z.unknown().optional(),
    deadlineMinutes: z.unknown().optional(),
    reminderMinutesBefore: z.unknown().optional(),
    escalateToUserIds: z.unknown().optional(),
    expireAfterMinutes: z.unknown().optional(),
  },
  { error: OBJECT_MESSAGE },
);

/** `{ userId }`: the reviewer to assign. */
export const assignReviewerBodySchema = z.object(
  { userId: z.string({ error: "userId must be text." }).min(1, "userId must not be empty.").max(200) },
  { error: OBJECT_MESSAGE },
);
