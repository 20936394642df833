import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { queryKeys } from "@/lib/queries";
import { makeQueryClient } from "@/lib/query-client";
import { requirePageActor } from "@/lib/auth/current";
import { getService, hasPermission } from "@/lib/services";
import { InboxLive } from "./inbox-live";

export const metadata: Metadata = { title: "Inbox" };

export default async function ReviewsPage() {
  await connection();
  const actor = await requirePageActor();
  const service = getService();
  const reviews = service.listInbox(actor);
  const count = service.countAwaitingReview(actor);
  const queryClient = makeQueryClient();
  queryClient.setQueryData(queryKeys.reviewList(), { reviews, count });
  queryClient.setQueryData(queryKeys.reviewCount(), count);
  return (
    <>
      <PageHeader
        title="Review inbox"
        description={
          hasPermission(actor, "runs:answer")
            ? "Drafts waiting for a reviewer, oldest first. Open one to approve it or send it back with guidance."
            : "Drafts waiting for a reviewer, oldest first. Reviewers decide on them; open one to follow it."
        }
        actions={
          <Link href="/runs/new" className={buttonClasses("secondary")}>
            New brief
          </Link>
        }
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <InboxLive />
      </HydrationBoundary>
    </>
  );
}
