import { z } from "zod";
import {
  AgentExecutor,
  AgentExecutorRequest,
  AgentExecutorResponse,
  Executor,
  RequestInfoExecutor,
  StringMessage,
  WorkflowBuilder,
  WorkflowError,
  type ChatClient,
  type ChatMessage,
  type Checkpoint,
  type CheckpointStorage,
  type RetryPolicy,
  type Workflow,
} from "@/lib/workflow";
import { plainText } from "@/lib/text/plain-text";
import { normalizeBrief } from "./brief";
import {
  decisionOf,
  HumanApprovalRequest,
  HumanApprovalResponse,
  reviewAnswerSchema,
  type ReviewGatewayState,
} from "./messages";
import { DEFAULT_GUIDANCE, draftPrompt, REVIEW_PROMPT, revisionPrompt, WRITER_INSTRUCTIONS } from "./prompts";

export const RELEASE_NOTES_WORKFLOW = "release-notes";
export const MAX_SUPERSTEPS_PER_CALL = 6;
export const PREVIEW_LENGTH = 80;

/** Executor ids, as in the sample. */
export const ids = {
  prepareBrief: "prepare_brief",
  writer: "writer",
  reviewGateway: "review_gateway",
  requestInfo: "request_info",
  finalise: "finalise",
} as const;

export interface ReleaseNotesOptions {
  chatClient: ChatClient;
  storage?: CheckpointStorage;
  retry?: Partial<RetryPolicy>;
}

/**
 * The release-notes approval pipeline (SPEC §9):
 * prepare_brief -> writer -> review_gateway -> request_info -> review_gateway; review_gateway -> writer
 * (revisions) and -> finalise (approval).
 */
export function createReleaseNotesWorkflow(options: ReleaseNotesOptions): Workflow {
  const prepareBrief = new Executor(ids.prepareBrief, { sends: [AgentExecutorRequest] }).on(
    StringMessage,
    (raw, ctx) => {
      const brief = normalizeBrief(raw);
      if (brief === "")
        throw new WorkflowError("MESSAGE_INVALID", "The brief is empty", { executorId: ids.prepareBrief });
      ctx.setSharedState("brief", brief);
      ctx.sendMessage(
        AgentExecutorRequest.of({ messages: [{ role: "user", text: draftPrompt(brief) }], shouldRespond: true }),
        {
          targetId: ids.writer,
        },
      );
    },
  );

  const writer = new AgentExecutor(ids.writer, {
    client: options.chatClient,
    instructions: WRITER_INSTRUCTIONS,
    retry: options.retry,
    contextWindow: briefAndNewTurns,
  });

  const reviewGateway = new Executor(ids.reviewGateway, {
    sends: [HumanApprovalRequest, AgentExecutorRequest, StringMessage],
  })
    .on(AgentExecutorResponse, (response, ctx) => {
      const iteration = (ctx.getState<ReviewGatewayState>()?.iteration ?? 0) + 1;
      // what the reviewer approves is what gets published: no hidden controls or direction overrides in either
      const draft = plainText(response.text);
      ctx.setState({ iteration, lastDraft: draft } satisfies ReviewGatewayState);
      ctx.sendMessage(HumanApprovalRequest.of({ prompt: REVIEW_PROMPT, draft, iteration }), {
        targetId: ids.requestInfo,
      });
    })
    .on(HumanApprovalResponse, (answer, ctx) => {
      const state = ctx.getState<ReviewGatewayState>();
      const draft = state?.lastDraft ?? answer.originalRequest.draft;
      const iteration = state?.iteration ?? answer.originalRequest.iteration;
      const decision = decisionOf(answer.data);
      switch (decision.decision) {
        case "approve":
          ctx.sendMessage(draft, { targetId: ids.finalise });
          return;
        case "revise": {
          // iteration counts drafts, so it moves when the next draft arrives, not here (SPEC §9 fix)
          const guidance = decision.guidance.trim() === "" ? DEFAULT_GUIDANCE : decision.guidance;
          ctx.sendMessage(
            AgentExecutorRequest.of({
              messages: [{ role: "user", text: revisionPrompt(draft, guidance) }],
              shouldRespond: true,
            }),
            {
              targetId: ids.writer,
            },
          );
          return;
        }
        case "edit": {
          // the reviewer's text replaces the draft: published now, or asked about again (same draft number)
          const edited = plainText(decision.text);
          ctx.setState({ iteration, lastDraft: edited } satisfies ReviewGatewayState);
          if (decision.publish) ctx.sendMessage(edited, { targetId: ids.finalise });
          else
            ctx.sendMessage(
              HumanApprovalRequest.of({
                prompt: REVIEW_PROMPT,
                draft: edited,
                iteration,
                editedFrom: answer.requestId,
              }),
              { targetId: ids.requestInfo },
            );
          return;
        }
        case "reject":
          // nothing is sent on: the run ends, unpublished, with the reason in the gateway's state
          ctx.setState({
            iteration,
            lastDraft: draft,
            rejection: { reason: decision.reason },
          } satisfies ReviewGatewayState);
          return;
      }
    });

  const requestInfo = new RequestInfoExecutor(ids.requestInfo, [
    { request: HumanApprovalRequest, response: reviewAnswerSchema },
  ]);

  const finalise = new Executor(ids.finalise).on(StringMessage, (text, ctx) => {
    ctx.setState({ publishedText: text });
    ctx.yieldOutput(text);
  });

  const builder = new WorkflowBuilder({ name: RELEASE_NOTES_WORKFLOW, maxIterations: MAX_SUPERSTEPS_PER_CALL })
    .setStartExecutor(prepareBrief)
    .addEdge(prepareBrief, writer)
    .addEdge(writer, reviewGateway)
    .addEdge(reviewGateway, requestInfo)
    .addEdge(requestInfo, reviewGateway)
    .addEdge(reviewGateway, writer)
    .addEdge(reviewGateway, finalise)
    .withCheckpointDescription(describeCheckpoint);
  if (options.storage) builder.withCheckpointing(options.storage);
  return builder.build();
}

/**
 * What the writer sends: the brief's prompt and the turns the current request added. A revision prompt restates
 * the draft under review and the guidance, so earlier drafts and prompts add cost (which grew with the square of
 * the rounds, bench/context-window.ts) without adding anything the model needs.
 */
export function briefAndNewTurns(conversation: readonly ChatMessage[], newTurns: number): ChatMessage[] {
  const fresh = conversation.slice(conversation.length - newTurns);
  return conversation.length > newTurns ? [conversation[0]!, ...fresh] : fresh;
}

/** Built once: zod compiles a schema on its first parse, which cost ~50 µs per checkpoint when built per call (bench/). */
const gatewayStateSchema = z.object({
  iteration: z.number().int(),
  lastDraft: z.string(),
  rejection: z.object({ reason: z.string() }).optional(),
});

/**
 * What a release-notes checkpoint's summary says, for programs (the run record, listings) that must not decode
 * the body or parse the preview: the draft number under review or last produced (0 before the first draft),
 * and, once the run completed, the published text.
 */
export const releaseNotesDetailsSchema = z.object({
  iteration: z.number().int().min(0),
  publishedText: z.string().nullable(),
  /** Once completed: the answer that approved the published text (who, when, which request). */
  approval: z.object({ requestId: z.string(), by: z.string().nullable(), at: z.string() }).nullable().default(null),
  /** Once a reviewer rejected the draft: why, who, when, which request. The run ends without publishing. */
  rejection: z
    .object({ requestId: z.string(), by: z.string().nullable(), at: z.string(), reason: z.string() })
    .nullable()
    .default(null),
});
export type ReleaseNotesDetails = z.output<typeof releaseNotesDetailsSchema>;

/** The summary's preview (the draft under review, 80 characters) and details of a release-notes checkpoint. */
export function describeCheckpoint(checkpoint: Checkpoint): { preview: string | null; details: ReleaseNotesDetails } {
  const gateway = gatewayStateSchema.safeParse(checkpoint.executorStates[ids.reviewGateway]);
  const published = checkpoint.status === "completed" ? checkpoint.outputs.at(-1)?.data : undefined;
  const rejected = checkpoint.status === "completed" && gateway.success ? gateway.data.rejection : undefined;
  const decided = typeof published === "string" || rejected ? checkpoint.answeredRequests.at(-1) : undefined;
  return {
    preview: draftPreview(checkpoint),
    details: {
      iteration: gateway.success ? gateway.data.iteration : 0,
      publishedText: typeof published === "string" ? published : null,
      approval:
        decided && !rejected ? { requestId: decided.requestId, by: decided.answeredBy, at: decided.answeredAt } : null,
      rejection:
        decided && rejected
          ? { requestId: decided.requestId, by: decided.answeredBy, at: decided.answeredAt, reason: rejected.reason }
          : null,
    },
  };
}

/** The first 80 characters of the draft under review: the pending request's, else the gateway's last draft. */
export function draftPreview(checkpoint: Checkpoint): string | null {
  const pending = checkpoint.pendingRequests.find((request) => request.type === HumanApprovalRequest.name);
  const parsed = pending ? HumanApprovalRequest.schema.safeParse(pending.payload) : undefined;
  const state = gatewayStateSchema.safeParse(checkpoint.executorStates[ids.reviewGateway]);
  const draft = parsed?.success ? parsed.data.draft : state.success ? state.data.lastDraft : null;
  if (draft === null) return null;
  const flat = draft.replace(/\s+/g, " ").trim();
  return flat.length > PREVIEW_LENGTH ? flat.slice(0, PREVIEW_LENGTH) : flat;
}
