import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { InboxTabs } from "@/components/reviews/inbox-tabs";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { queryKeys, type InboxScope } from "@/lib/queries";
import { makeQueryClient } from "@/lib/query-client";
import { requirePageActor } from "@/lib/auth/current";
import { getService, hasPermission } from "@/lib/services";
import { InboxLive } from "./inbox-live";

export const metadata: Metadata = { title: "Inbox" };

/** `?assigned=me` opens the "Assigned to me" tab; anything else is everyone's inbox. */
function parseScope(value: string | string[] | undefined): InboxScope {
  return value === "me" ? "me" : "all";
}

export default async function ReviewsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const scope = parseScope((await searchParams).assigned);
  const actor = await requirePageActor();
  const service = getService();
  const reviews = await service.listInbox(actor, { assigned: scope });
  const count = await service.countAwaitingReview(actor);
  const queryClient = makeQueryClient();
  queryClient.setQueryData(queryKeys.reviewList(scope), { reviews, count });
  queryClient.setQueryData(queryKeys.reviewCount(), count);
  return (
    <>
      <PageHeader
        title="Review inbox"
        description={
          hasPermission(actor, "runs:answer")
            ? "Drafts waiting for a reviewer, due first. Open one to approve it, edit it or send it back with guidance."
            : "Drafts waiting for a reviewer, due first. Reviewers decide on them; open one to follow it."
        }
        actions={
          <Link href="/runs/new" className={buttonClasses("secondary")}>
            New brief
          </Link>
        }
      />
      <div className="space-y-4">
        <InboxTabs current={scope} />
        <HydrationBoundary state={dehydrate(queryClient)}>
          <InboxLive scope={scope} viewerId={actor.userId} />
        </HydrationBoundary>
      </div>
    </>
  );
}
