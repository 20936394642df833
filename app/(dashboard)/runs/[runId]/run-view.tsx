"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { CheckpointTimeline } from "@/components/checkpoints/checkpoint-timeline";
import { useReviewerName } from "@/components/hooks/use-reviewer-name";
import { AnswerConflictNotice } from "@/components/runs/answer-conflict-notice";
import { AuditTrail } from "@/components/runs/audit-trail";
import { BriefText } from "@/components/runs/brief-text";
import { DecisionForm, type AnswerResult } from "@/components/runs/decision-form";
import { DraftReview } from "@/components/runs/draft-review";
import { LiveDraft } from "@/components/runs/live-draft";
import { PublishedText } from "@/components/runs/published-text";
import { RunFailure } from "@/components/runs/run-failure";
import { RunHeader } from "@/components/runs/run-header";
import { SupersededRequests } from "@/components/runs/superseded-requests";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { answerReviewAction } from "@/lib/actions/answer-review";
import { retryRunAction } from "@/lib/actions/retry-run";
import type { ActionError } from "@/lib/actions/types";
import { queryKeys, runCheckpointsQuery, runDetailQuery, type RunDetail } from "@/lib/queries";
import { useLiveRun } from "./use-live-run";

interface RunViewProps {
  runId: string;
  writer: { label: string; isModel: boolean };
  defaultGuidance: string;
}

/** The run page: follows the run live and wires the decision, retry and timeline to their actions. */
export function RunView({ runId, writer, defaultGuidance }: RunViewProps) {
  const queryClient = useQueryClient();
  const { data: run } = useQuery(runDetailQuery(runId));
  const isRunning = run?.status === "running";
  const { data: checkpoints } = useQuery(runCheckpointsQuery(runId, { isRunning }));
  const [reviewerName, setReviewerName] = useReviewerName();
  const [conflict, setConflict] = useState<ActionError | null>(null);

  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.runDetail(runId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.runCheckpoints(runId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.reviews });
  }, [queryClient, runId]);
  const live = useLiveRun(runId, isRunning, refresh);

  const onAnswer = useCallback(
    (result: AnswerResult) => {
      if (result.ok) setConflict(null);
      else if (result.error.fieldErrors) return; // shown beside the field; nothing changed on the server
      else setConflict(result.error);
      refresh();
    },
    [refresh],
  );

  if (!run) return null; // seeded by the server render; only absent if the cache was cleared
  return (
    <>
      <RunHeader run={run} writer={writer} />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0 space-y-6">
          {conflict ? <AnswerConflictNotice error={conflict} /> : null}
          <RunBody run={run} live={live} defaultGuidance={defaultGuidance} reviewerName={reviewerName} onReviewerNameChange={setReviewerName} onAnswer={onAnswer} onRetried={refresh} />
          {run.supersededRequests.length > 0 ? (
            <Card aria-labelledby="superseded-heading">
              <CardHeader>
                <h2 id="superseded-heading" className="font-semibold">
                  Superseded requests
                </h2>
              </CardHeader>
              <CardBody>
                <SupersededRequests requests={run.supersededRequests} />
              </CardBody>
            </Card>
          ) : null}
        </div>
        <aside className="min-w-0 space-y-6" aria-label="About this run">
          <Card aria-labelledby="brief-heading">
            <CardHeader>
              <h2 id="brief-heading" className="font-semibold">
                Brief
              </h2>
            </CardHeader>
            <CardBody className="max-h-80 overflow-auto">
              <BriefText brief={run.brief} className="text-sm text-slate-800" />
            </CardBody>
          </Card>
          <Card aria-labelledby="audit-heading">
            <CardHeader>
              <h2 id="audit-heading" className="font-semibold">
                Audit trail
              </h2>
            </CardHeader>
            <CardBody>
              <AuditTrail submittedBy={run.submittedBy} createdAt={run.createdAt} decisions={run.decisions} />
            </CardBody>
          </Card>
        </aside>
      </div>
      <Card aria-labelledby="timeline-heading" id="timeline" className="mt-6">
        <CardHeader>
          <h2 id="timeline-heading" className="font-semibold">
            Checkpoint timeline
          </h2>
          <p className="text-sm text-slate-600">Select a checkpoint to inspect it or resume from it.</p>
        </CardHeader>
        <CardBody>
          {checkpoints && checkpoints.length > 0 ? <CheckpointTimeline runId={runId} checkpoints={checkpoints} /> : <p className="text-sm text-slate-600">No checkpoints yet.</p>}
        </CardBody>
      </Card>
    </>
  );
}

interface RunBodyProps {
  run: RunDetail;
  live: ReturnType<typeof useLiveRun>;
  defaultGuidance: string;
  reviewerName: string;
  onReviewerNameChange: (name: string) => void;
  onAnswer: (result: AnswerResult) => void;
  onRetried: () => void;
}

/** What the run needs from people right now: nothing (it is writing), a review, the published text, or a retry. */
function RunBody({ run, live, defaultGuidance, reviewerName, onReviewerNameChange, onAnswer, onRetried }: RunBodyProps) {
  if (run.status === "running") {
    const lastDecision = run.decisions.at(-1);
    const isPublishing = lastDecision?.isApproval === true && lastDecision.iteration === run.iteration;
    return <LiveDraft draftNumber={isPublishing ? run.iteration : run.iteration + 1} isPublishing={isPublishing} liveText={live.liveText} progress={live.progress} isStreaming={live.isStreaming} />;
  }
  if (run.status === "failed") return <RunFailure runId={run.runId} error={run.error} action={retryRunAction} onRetried={onRetried} />;
  if (run.status === "completed") {
    const approval = [...run.decisions].reverse().find((decision) => decision.isApproval);
    return <PublishedText text={run.publishedText ?? run.outputs.at(-1) ?? ""} approval={approval} />;
  }
  return (
    <>
      {run.pendingRequests.map((request) => (
        <div key={request.requestId} className="space-y-6">
          <DraftReview request={request} previous={run.drafts.find((draft) => draft.iteration === request.iteration - 1) ?? null} />
          <Card aria-labelledby={`decision-${request.requestId}`}>
            <CardHeader>
              <h2 id={`decision-${request.requestId}`} className="font-semibold">
                Your review
              </h2>
            </CardHeader>
            <CardBody>
              <DecisionForm
                runId={run.runId}
                request={request}
                defaultGuidance={defaultGuidance}
                reviewerName={reviewerName}
                onReviewerNameChange={onReviewerNameChange}
                action={answerReviewAction}
                onResult={onAnswer}
              />
            </CardBody>
          </Card>
        </div>
      ))}
    </>
  );
}
