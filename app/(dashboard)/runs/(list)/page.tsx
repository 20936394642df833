import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { RunStatusFilter } from "@/components/runs/run-status-filter";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { queryKeys, runPageSize, runStatuses, type RunStatus } from "@/lib/queries";
import { makeQueryClient } from "@/lib/query-client";
import { requirePageActor } from "@/lib/auth/current";
import { getService } from "@/lib/services";
import { RunsLive } from "./runs-live";

export const metadata: Metadata = { title: "Runs" };

function parseStatus(value: string | string[] | undefined): RunStatus | null {
  return runStatuses.find((status) => status === value) ?? null;
}

export default async function RunsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const status = parseStatus((await searchParams).status);
  const firstPage = await getService().listRuns(await requirePageActor(), {
    status: status ?? undefined,
    limit: runPageSize,
  });
  const queryClient = makeQueryClient();
  queryClient.setQueryData(queryKeys.runList(status), { pages: [firstPage], pageParams: [null] });
  return (
    <>
      <PageHeader
        title="Runs"
        description="Every brief and where its run stands, newest first."
        actions={
          <Link href="/runs/new" className={buttonClasses("primary")}>
            New brief
          </Link>
        }
      />
      <div className="space-y-4">
        <RunStatusFilter current={status} statuses={runStatuses} />
        <HydrationBoundary state={dehydrate(queryClient)}>
          <RunsLive status={status} />
        </HydrationBoundary>
      </div>
    </>
  );
}
