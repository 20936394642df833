import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { isWorkflowError } from "@/lib/workflow";
import { queryKeys } from "@/lib/queries";
import { makeQueryClient } from "@/lib/query-client";
import { loadRunOrNotFound } from "../../../load-run";
import { CheckpointView } from "./checkpoint-view";

export const metadata: Metadata = { title: "Checkpoint" };

export default async function CheckpointPage({ params }: { params: Promise<{ runId: string; checkpointId: string }> }) {
  await connection();
  const { runId, checkpointId } = await params;
  const { service, actor, run } = await loadRunOrNotFound(runId);
  if (!run) notFound();
  const detail = await service.getCheckpoint(actor, checkpointId).catch((error: unknown) => {
    if (isWorkflowError(error) && error.code === "CHECKPOINT_NOT_FOUND") return null;
    throw error;
  });
  if (!detail || detail.summary.runId !== runId) notFound();
  const queryClient = makeQueryClient();
  queryClient.setQueryData(queryKeys.runDetail(runId), run);
  queryClient.setQueryData(queryKeys.runCheckpoints(runId), await service.listCheckpoints(actor, runId));
  queryClient.setQueryData(queryKeys.checkpointDetail(checkpointId), detail);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <CheckpointView runId={runId} checkpointId={checkpointId} />
    </HydrationBoundary>
  );
}
