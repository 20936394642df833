"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { CheckpointDetails } from "@/components/checkpoints/checkpoint-details";
import { CheckpointTimeline } from "@/components/checkpoints/checkpoint-timeline";
import { checkpointTitle } from "@/components/checkpoints/checkpoint-tree";
import { ResumeForm } from "@/components/checkpoints/resume-form";
import { briefTitle } from "@/components/runs/run-header";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { resumeRunAction } from "@/lib/actions/resume-run";
import { checkpointDetailQuery, isRunActive, queryKeys, runCheckpointsQuery, runDetailQuery } from "@/lib/queries";

/** One checkpoint: what it holds, where it sits in the run's tree, and "Resume from here" (or why the person looking may not). */
export function CheckpointView({ runId, checkpointId }: { runId: string; checkpointId: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const { data: run } = useQuery(runDetailQuery(runId));
  const { data: checkpoints } = useQuery(runCheckpointsQuery(runId, { isRunning: run ? isRunActive(run.status) : false }));
  const { data: detail } = useQuery(checkpointDetailQuery(checkpointId));

  const onResumed = useCallback(
    (resumedRunId: string) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.runs });
      void queryClient.invalidateQueries({ queryKey: queryKeys.reviews });
      router.push(`/runs/${resumedRunId}`);
    },
    [queryClient, router],
  );

  if (!run || !detail) return null; // seeded by the server render
  // The head flag moves as the run goes on; the timeline list is the fresher source.
  const summary = checkpoints?.find((item) => item.checkpointId === checkpointId) ?? detail.summary;
  return (
    <>
      <header className="mb-6 space-y-2">
        <Breadcrumbs
          items={[
            { label: "Runs", href: "/runs" },
            { label: briefTitle(run.brief), href: `/runs/${runId}`, className: "min-w-0 max-w-[16rem] truncate" },
            { label: "Checkpoint" },
          ]}
        />
        <h1 className="text-2xl font-semibold tracking-tight">
          Checkpoint: {checkpointTitle(summary)}
        </h1>
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          Run status <RunStatusBadge status={run.status} />
        </p>
      </header>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
          <Card aria-labelledby="resume-heading">
            <CardHeader>
              <h2 id="resume-heading" className="font-semibold">
                {(run.status === "completed" || run.status === "rejected") && run.permissions.canReopen ? "Re-open from here" : "Resume from here"}
              </h2>
            </CardHeader>
            <CardBody>
              <ResumeForm
                checkpoint={summary}
                runStatus={run.status}
                permissions={run.permissions}
                earlierDecisions={run.decisions.filter((decision) => decision.baseCheckpointId === checkpointId)}
                action={resumeRunAction}
                onResumed={onResumed}
              />
            </CardBody>
          </Card>
          <Card aria-labelledby="contents-heading">
            <CardHeader>
              <h2 id="contents-heading" className="font-semibold">
                What this checkpoint holds
              </h2>
            </CardHeader>
            <CardBody>
              <CheckpointDetails detail={{ ...detail, summary }} />
            </CardBody>
          </Card>
        </div>
        <aside className="min-w-0" aria-labelledby="timeline-heading">
          <Card>
            <CardHeader>
              <h2 id="timeline-heading" className="font-semibold">
                Checkpoint timeline
              </h2>
            </CardHeader>
            <CardBody>{checkpoints ? <CheckpointTimeline runId={runId} checkpoints={checkpoints} selectedId={checkpointId} /> : null}</CardBody>
          </Card>
        </aside>
      </div>
    </>
  );
}
