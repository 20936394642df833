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
import { CardBody } from "@/components/ui/card";
import { SectionCard } from "@/components/ui/section-card";
import { resumeRunAction } from "@/lib/actions/resume-run";
import { checkpointDetailQuery, isRunActive, queryKeys, runCheckpointsQuery, runDetailQuery } from "@/lib/queries";

/** One checkpoint: what it holds, where it sits in the run's tree, and "Resume from here" (or why the person looking may not). */
export function CheckpointView({ runId, checkpointId }: { runId: string; checkpointId: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const { data: run } = useQuery(runDetailQuery(runId));
  const { data: checkpoints } = useQuery(
    runCheckpointsQuery(runId, { isRunning: run ? isRunActive(run.status) : false }),
  );
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
        <h1 className="text-2xl font-semibold tracking-tight">Checkpoint: {checkpointTitle(summary)}</h1>
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          Run status <RunStatusBadge status={run.status} />
        </p>
      </header>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
          <SectionCard
            title={
              (run.status === "completed" || run.status === "rejected") && run.permissions.canReopen
                ? "Re-open from here"
                : "Resume from here"
            }
          >
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
          </SectionCard>
          <SectionCard title="What this checkpoint holds">
            <CardBody>
              <CheckpointDetails detail={{ ...detail, summary }} />
            </CardBody>
          </SectionCard>
        </div>
        <div className="min-w-0">
          <SectionCard as="aside" title="Checkpoint timeline">
            <CardBody>
              {checkpoints ? (
                <CheckpointTimeline runId={runId} checkpoints={checkpoints} selectedId={checkpointId} />
              ) : null}
            </CardBody>
          </SectionCard>
        </div>
      </div>
    </>
  );
}
