"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { runStatusLabels } from "@/components/runs/run-status-badge";
import { RunList } from "@/components/runs/run-list";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { runListQuery, type RunStatus } from "@/lib/queries";

/** One status filter's runs, a page at a time ("Load more" follows the cursor). */
export function RunsLive({ status }: { status: RunStatus | null }) {
  const { data, error, fetchNextPage, hasNextPage, isFetchingNextPage } = useInfiniteQuery(runListQuery(status));
  const runs = data?.pages.flatMap((page) => page.runs) ?? [];
  if (!data)
    return error ? (
      <Alert tone="danger" role="alert" title="The runs could not be loaded">
        {error.message}
      </Alert>
    ) : null;
  if (runs.length === 0) {
    return (
      <EmptyState title={status ? `No ${runStatusLabels[status].toLowerCase()} runs` : "No runs yet"}>
        {status ? (
          <p>
            Try{" "}
            <Link href="/runs" className="text-sky-800 underline">
              all runs
            </Link>
            .
          </p>
        ) : (
          <p>
            <Link href="/runs/new" className="text-sky-800 underline">
              Submit a brief
            </Link>{" "}
            to start the first one.
          </p>
        )}
      </EmptyState>
    );
  }
  return (
    <div className="space-y-4">
      <RunList runs={runs} />
      <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
        <p aria-live="polite">
          Showing {runs.length} {runs.length === 1 ? "run" : "runs"}
          {hasNextPage ? "" : " — that is all of them"}.
        </p>
        {hasNextPage ? (
          <Button onClick={() => fetchNextPage()} disabled={isFetchingNextPage}>
            {isFetchingNextPage ? "Loading…" : "Load more"}
          </Button>
        ) : null}
      </div>
      {error ? (
        <Alert tone="danger" role="alert">
          {error.message}
        </Alert>
      ) : null}
    </div>
  );
}
