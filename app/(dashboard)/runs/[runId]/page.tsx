import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { DEFAULT_GUIDANCE } from "@/lib/release-notes";
import { queryKeys } from "@/lib/queries";
import { makeQueryClient } from "@/lib/query-client";
import { loadRunOrNotFound, writerOf } from "../load-run";
import { RunView } from "./run-view";

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ runId: string }> }) {
  await connection();
  const { runId } = await params;
  const { service, actor, run } = await loadRunOrNotFound(runId);
  if (!run) notFound();
  const checkpoints = await service.listCheckpoints(actor, runId);
  const queryClient = makeQueryClient();
  queryClient.setQueryData(queryKeys.runDetail(runId), run);
  queryClient.setQueryData(queryKeys.runCheckpoints(runId), checkpoints);
  // whom the run can be assigned to, for those who may assign
  if (run.permissions.canAnswer)
    queryClient.setQueryData(queryKeys.reviewers(), await service.people.listReviewers(actor));
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <RunView runId={runId} writer={writerOf(run)} defaultGuidance={DEFAULT_GUIDANCE} viewerId={actor.userId} />
    </HydrationBoundary>
  );
}
