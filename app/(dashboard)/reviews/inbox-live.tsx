"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRef } from "react";
import { KeyboardShortcuts } from "@/components/keyboard/keyboard-shortcuts";
import { nextIndex } from "@/components/keyboard/shortcut-keys";
import { useShortcuts } from "@/components/keyboard/use-shortcuts";
import { INBOX_LINK_SELECTOR, InboxList } from "@/components/reviews/inbox-list";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { reviewListQuery, type InboxScope } from "@/lib/queries";

const INBOX_SHORTCUTS = [
  { keys: ["j"], description: "Next run in the list" },
  { keys: ["k"], description: "Previous run in the list" },
  { keys: ["Enter"], description: "Open the run in focus" },
] as const;

/** The inbox list, kept fresh by polling (seeded by the server render); `j`/`k` move through it. */
export function InboxLive({ scope, viewerId }: { scope: InboxScope; viewerId: string | null }) {
  // when the list was read: the server render and hydration share it (dehydrated with the data), so "Due in 3 h" hydrates as written
  const { data, error, dataUpdatedAt } = useQuery(reviewListQuery(scope));
  const listRef = useRef<HTMLUListElement>(null);
  const move = (direction: "next" | "previous") => {
    const links = [...(listRef.current?.querySelectorAll<HTMLAnchorElement>(INBOX_LINK_SELECTOR) ?? [])];
    const index = nextIndex(
      links.findIndex((link) => link === document.activeElement),
      links.length,
      direction,
    );
    const link = index === null ? undefined : links[index];
    link?.focus();
    link?.scrollIntoView({ block: "nearest" });
  };
  useShortcuts([
    { key: "j", run: () => move("next") },
    { key: "k", run: () => move("previous") },
  ]);

  if (!data)
    return error ? (
      <Alert tone="danger" role="alert" title="The inbox could not be loaded">
        {error.message}
      </Alert>
    ) : null;
  const summary =
    scope === "me"
      ? `${data.reviews.length === 1 ? "1 run is" : `${data.reviews.length} runs are`} assigned to you, of ${data.count} awaiting review.`
      : `${data.count === 1 ? "1 run is" : `${data.count} runs are`} awaiting review.`;
  return (
    <div className="space-y-3">
      {error ? (
        <Alert tone="warning" role="status">
          Showing the last known list: {error.message}
        </Alert>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-700" aria-live="polite">
          {summary}
        </p>
        {data.reviews.length > 0 ? <KeyboardShortcuts shortcuts={INBOX_SHORTCUTS} /> : null}
      </div>
      {data.reviews.length === 0 ? (
        scope === "me" ? (
          <EmptyState title="Nothing assigned to you">
            <p>
              Runs someone asks you to review show up here.{" "}
              <Link href="/reviews" className="text-sky-800 underline">
                See all reviews
              </Link>
              .
            </p>
          </EmptyState>
        ) : (
          <EmptyState title="Nothing to review">
            <p>
              When a writer finishes a draft it shows up here.{" "}
              <Link href="/runs/new" className="text-sky-800 underline">
                Submit a brief
              </Link>{" "}
              to start one.
            </p>
          </EmptyState>
        )
      ) : (
        <InboxList reviews={data.reviews} viewerId={viewerId} readAt={dataUpdatedAt} listRef={listRef} />
      )}
    </div>
  );
}
