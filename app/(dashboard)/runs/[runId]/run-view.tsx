"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { RoundTimeline } from "@/components/checkpoints/round-timeline";
import { KeyboardShortcuts } from "@/components/keyboard/keyboard-shortcuts";
import { AnswerConflictNotice } from "@/components/runs/answer-conflict-notice";
import { AssigneesPanel } from "@/components/runs/assignees-panel";
import { AuditTrail } from "@/components/runs/audit-trail";
import { BriefText } from "@/components/runs/brief-text";
import { CurrentRound } from "@/components/runs/current-round";
import { DECISION_SHORTCUTS, DecisionForm, type AnswerResult } from "@/components/runs/decision-form";
import { LiveDraft } from "@/components/runs/live-draft";
import { PublicationHistory } from "@/components/runs/publication-history";
import { PublishedText } from "@/components/runs/published-text";
import { QueuedRun } from "@/components/runs/queued-run";
import { ReviewHistory } from "@/components/runs/review-history";
import { previousRoundOf } from "@/components/runs/review-rounds";
import { RunFailure } from "@/components/runs/run-failure";
import { RunHeader } from "@/components/runs/run-header";
import { RunRejection } from "@/components/runs/run-rejection";
import { SupersededRequests } from "@/components/runs/superseded-requests";
import { CardBody } from "@/components/ui/card";
import { SectionCard } from "@/components/ui/section-card";
import { answerReviewAction } from "@/lib/actions/answer-review";
import { assignReviewerAction } from "@/lib/actions/assign-reviewer";
import { retryRunAction } from "@/lib/actions/retry-run";
import type { ActionError } from "@/lib/actions/types";
import { unassignReviewerAction } from "@/lib/actions/unassign-reviewer";
import {
  isRunActive,
  queryKeys,
  reviewersQuery,
  runCheckpointsQuery,
  runDetailQuery,
  type RunDetail,
} from "@/lib/queries";
import { useLiveRun } from "./use-live-run";

/** Refusals the decision form explains itself (beside its buttons), rather than as a notice above the draft. */
const FORM_ERROR_CODES = new Set([
  "FORBIDDEN",
  "SELF_APPROVAL_FORBIDDEN",
  "VALIDATION_FAILED",
  "REVISION_LIMIT_REACHED",
  "ALREADY_APPROVED",
]);

interface RunViewProps {
  runId: string;
  writer: { label: string; isModel: boolean };
  defaultGuidance: string;
  /** The signed-in person (to tell their own approvals and assignments). */
  viewerId: string | null;
}

/** The run page: follows the run live and wires the review, assignment, retry and timeline to their actions. */
export function RunView({ runId, writer, defaultGuidance, viewerId }: RunViewProps) {
  const queryClient = useQueryClient();
  // when the run was read: the server render and hydration share it, so "Due in 3 h" hydrates as written
  const { data: run, dataUpdatedAt: readAt } = useQuery(runDetailQuery(runId));
  // Queued counts as running here: it becomes running without anyone acting, and the writer's first words should stream in.
  const isActive = run ? isRunActive(run.status) : false;
  const { data: checkpoints } = useQuery(runCheckpointsQuery(runId, { isRunning: isActive }));
  // assigning asks for reviews: for runs that can still get one
  const canAssign =
    run !== undefined && run.permissions.canAnswer && run.status !== "completed" && run.status !== "rejected";
  const { data: reviewers } = useQuery({ ...reviewersQuery(), enabled: canAssign });
  const [conflict, setConflict] = useState<ActionError | null>(null);

  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.runDetail(runId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.runCheckpoints(runId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.reviews });
  }, [queryClient, runId]);
  const live = useLiveRun(runId, isActive, refresh);

  const onAnswer = useCallback(
    (result: AnswerResult) => {
      if (result.ok) setConflict(null);
      else if (result.error.fieldErrors)
        return; // shown beside the field; nothing changed on the server
      else if (result.error.code === "UNAUTHENTICATED")
        return; // the form says so and keeps the text; a refetch would be refused too
      else if (!FORM_ERROR_CODES.has(result.error.code)) setConflict(result.error);
      refresh(); // a refusal may mean the run, its draft or the person's permissions moved on
    },
    [refresh],
  );
  const onAssigned = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.runDetail(runId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.reviews });
  }, [queryClient, runId]);

  if (!run) return null; // seeded by the server render; only absent if the cache was cleared
  const pendingIds = new Set(run.pendingRequests.map((request) => request.requestId));
  const isEnded = run.status === "completed" || run.status === "rejected";
  return (
    <>
      <RunHeader run={run} writer={writer} />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0 space-y-6">
          {conflict ? <AnswerConflictNotice error={conflict} /> : null}
          <RunBody
            run={run}
            live={live}
            defaultGuidance={defaultGuidance}
            viewerId={viewerId}
            readAt={readAt}
            onAnswer={onAnswer}
            onRetried={refresh}
          />
          <ReviewHistory
            rounds={run.rounds}
            omitRequestIds={pendingIds}
            requiredApprovals={run.policy.requiredApprovals}
            isNewestOpen={isEnded}
          />
          {run.status !== "completed" && run.publications.length > 0 ? (
            <PublicationHistory
              publications={run.publications}
              title="Published before it was re-opened"
              description="An admin re-opened this run after it was published. Every published version stays on record."
            />
          ) : null}
          {run.supersededRequests.length > 0 ? (
            <SectionCard title="Superseded requests">
              <CardBody>
                <SupersededRequests requests={run.supersededRequests} />
              </CardBody>
            </SectionCard>
          ) : null}
        </div>
        <aside className="min-w-0 space-y-6" aria-label="About this run">
          {canAssign || run.assignees.length > 0 ? (
            <SectionCard title="Reviewers">
              <CardBody>
                <AssigneesPanel
                  runId={run.runId}
                  assignees={run.assignees}
                  reviewers={reviewers}
                  viewerId={viewerId}
                  canAssign={canAssign}
                  actions={{ assign: assignReviewerAction, unassign: unassignReviewerAction }}
                  onChanged={onAssigned}
                />
              </CardBody>
            </SectionCard>
          ) : null}
          <SectionCard title="Brief">
            <CardBody className="max-h-80 overflow-auto">
              <BriefText brief={run.brief} className="text-sm text-slate-800" />
            </CardBody>
          </SectionCard>
          <SectionCard title="Audit trail">
            <CardBody>
              <AuditTrail
                runId={run.runId}
                audit={run.audit}
                decisions={run.decisions}
                submittedBy={run.submittedBy}
                createdAt={run.createdAt}
              />
            </CardBody>
          </SectionCard>
        </aside>
      </div>
      <SectionCard
        id="timeline"
        className="mt-6"
        title="Checkpoint timeline"
        description="One line per round: open it for its supersteps, then select a checkpoint to inspect it or resume from it."
      >
        <CardBody>
          {checkpoints && checkpoints.length > 0 ? (
            <RoundTimeline runId={runId} checkpoints={checkpoints} rounds={run.rounds} />
          ) : (
            <p className="text-sm text-slate-600">No checkpoints yet.</p>
          )}
        </CardBody>
      </SectionCard>
    </>
  );
}

interface RunBodyProps {
  run: RunDetail;
  live: ReturnType<typeof useLiveRun>;
  defaultGuidance: string;
  viewerId: string | null;
  /** When the run was read (see useClock). */
  readAt: number;
  onAnswer: (result: AnswerResult) => void;
  onRetried: () => void;
}

/** What the running run is doing after its last decision: publishing, preparing an edited draft, closing, or writing the next draft. */
function activityOf(run: RunDetail): { draftNumber: number; isPublishing: boolean; title?: string } {
  const lastDecision = run.decisions.at(-1);
  const isAboutThisDraft = lastDecision !== undefined && lastDecision.iteration === run.iteration;
  if (isAboutThisDraft && lastDecision.isApproval) return { draftNumber: run.iteration, isPublishing: true };
  if (isAboutThisDraft && lastDecision.kind === "edit")
    return {
      draftNumber: run.iteration,
      isPublishing: false,
      title: `Preparing the edited draft ${run.iteration} for review`,
    };
  if (isAboutThisDraft && lastDecision.kind === "reject")
    return {
      draftNumber: run.iteration,
      isPublishing: false,
      title: `Closing the run: draft ${run.iteration} was rejected`,
    };
  return { draftNumber: run.iteration + 1, isPublishing: false };
}

/** What the run needs from people right now: nothing (it is writing, or waiting for the model), a review, the published text, the rejection, or a retry. */
function RunBody({ run, live, defaultGuidance, viewerId, readAt, onAnswer, onRetried }: RunBodyProps) {
  if (run.status === "queued") return <QueuedRun draftNumber={run.iteration + 1} queuePosition={run.queuePosition} />;
  if (run.status === "running")
    return (
      <LiveDraft
        {...activityOf(run)}
        liveText={live.liveText}
        progress={live.progress}
        isStreaming={live.isStreaming}
      />
    );
  if (run.status === "failed")
    return (
      <RunFailure
        runId={run.runId}
        error={run.error}
        canRetry={run.permissions.canRetry}
        action={retryRunAction}
        onRetried={onRetried}
      />
    );
  if (run.status === "completed") return <PublishedRun run={run} />;
  if (run.status === "rejected") {
    const rejected = run.rounds.findLast((round) => round.state === "rejected") ?? run.rounds.at(-1);
    return (
      <RunRejection
        rejection={run.rejection}
        draftNumber={rejected?.iteration ?? null}
        reopenHref={
          run.permissions.canReopen && rejected ? `/runs/${run.runId}/checkpoints/${rejected.checkpointId}` : null
        }
      />
    );
  }
  return (
    <>
      {run.pendingRequests.map((request) => {
        const index = run.rounds.findIndex((round) => round.requestId === request.requestId);
        const round = run.rounds[index];
        return (
          <div key={request.requestId} className="space-y-6">
            {round ? (
              <CurrentRound
                round={round}
                previous={previousRoundOf(run.rounds, index)}
                requiredApprovals={run.policy.requiredApprovals}
                // the run's deadline is its pending request's (one per run)
                deadline={run.pendingRequestId === request.requestId ? run.deadline : null}
                readAt={readAt}
              />
            ) : null}
            <SectionCard
              title={run.permissions.canAnswer ? "Your review" : "Review"}
              meta={run.permissions.canAnswer ? <KeyboardShortcuts shortcuts={DECISION_SHORTCUTS} /> : null}
            >
              <CardBody>
                {run.permissions.canAnswer ? (
                  <DecisionForm
                    // a new draft (or the same one changed) starts a fresh form: the editor holds the text shown
                    key={`${request.requestId}:${request.draftSha256}`}
                    runId={run.runId}
                    request={request}
                    requiredApprovals={run.policy.requiredApprovals}
                    viewerId={viewerId}
                    defaultGuidance={defaultGuidance}
                    canApprove={run.permissions.canApprove}
                    action={answerReviewAction}
                    onResult={onAnswer}
                  />
                ) : (
                  <p className="text-sm text-slate-700">Reviewers decide on drafts. You will see the result here.</p>
                )}
              </CardBody>
            </SectionCard>
          </div>
        );
      })}
    </>
  );
}

/** The published text (the newest version when the run was re-opened and approved again), then the earlier versions. */
function PublishedRun({ run }: { run: RunDetail }) {
  const current = run.publications.at(-1);
  if (!current) {
    // published before versions were recorded: the text and the approving decision
    const approval = [...run.decisions].reverse().find((decision) => decision.isApproval);
    return (
      <PublishedText
        text={run.publishedText ?? run.outputs.at(-1) ?? ""}
        approvedBy={approval ? (approval.decidedBy ?? "an unnamed reviewer") : null}
        approvedAt={approval?.decidedAt ?? null}
      />
    );
  }
  const earlier = run.publications.slice(0, -1);
  return (
    <>
      <PublishedText
        text={current.text}
        approvedBy={current.approvedBy}
        approvedAt={current.publishedAt}
        version={earlier.length > 0 ? current.version : null}
      />
      {earlier.length > 0 ? (
        <PublicationHistory
          publications={earlier}
          title="Earlier published versions"
          description="An admin re-opened this run after it was published; each version it published stays on record."
        />
      ) : null}
    </>
  );
}
