"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { InboxList } from "@/components/reviews/inbox-list";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { reviewListQuery } from "@/lib/queries";

/** The inbox list, kept fresh by polling (seeded by the server render). */
export function InboxLive() {
  const { data, error } = useQuery(reviewListQuery());
  if (!data) return error ? <Alert tone="danger" role="alert" title="The inbox could not be loaded">{error.message}</Alert> : null;
  return (
    <div className="space-y-3">
      {error ? (
        <Alert tone="warning" role="status">
          Showing the last known list: {error.message}
        </Alert>
      ) : null}
      <p className="text-sm text-slate-700" aria-live="polite">
        {data.count === 1 ? "1 run is" : `${data.count} runs are`} awaiting review.
      </p>
      {data.reviews.length === 0 ? (
        <EmptyState title="Nothing to review">
          <p>
            When a writer finishes a draft it shows up here. <Link href="/runs/new" className="text-sky-800 underline">Submit a brief</Link> to start one.
          </p>
        </EmptyState>
      ) : (
        <InboxList reviews={data.reviews} />
      )}
    </div>
  );
}
