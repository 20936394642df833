import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { z } from "zod";
import { DeliveryList } from "@/components/settings/delivery-list";
import { DeliveryStatusFilter } from "@/components/settings/delivery-status-filter";
import { AdminsOnlyNotice } from "@/components/settings/admins-only-notice";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { retryDeliveryAction } from "@/lib/actions/retry-delivery";
import { requirePageActor } from "@/lib/auth/current";
import { getService, hasPermission } from "@/lib/services";

export const metadata: Metadata = { title: "Deliveries" };

const BASE_PATH = "/settings/notifications/deliveries";
const STATUSES = ["pending", "delivered", "dead"] as const;
/** How many deliveries the service lists at once: a full page may have older ones after it. */
const PAGE_SIZE = 100;

const searchParamsSchema = z.object({
  status: z.enum(STATUSES).optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

/** Every notification delivery (admins): newest first, filtered by status, a page of older ones at a time. */
export default async function DeliveriesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const actor = await requirePageActor();
  const crumbs = (
    <Breadcrumbs
      items={[
        { label: "Settings", href: "/settings" },
        { label: "Notification channels", href: "/settings/notifications" },
        { label: "Deliveries" },
      ]}
    />
  );
  if (!hasPermission(actor, "settings:manage")) {
    return (
      <div className="space-y-2">
        {crumbs}
        <PageHeader title="Deliveries" />
        <AdminsOnlyNotice title="Only admins can see notification deliveries." role={actor.role} />
      </div>
    );
  }

  const { status, before } = searchParamsSchema.parse(await searchParams);
  const deliveries = await getService().notifications.listDeliveries(actor, { status, before });
  const oldest = deliveries.at(-1);
  const olderHref =
    deliveries.length >= PAGE_SIZE && oldest
      ? `${BASE_PATH}?${new URLSearchParams({ ...(status ? { status } : {}), before: String(Date.parse(oldest.createdAt)) })}`
      : null;
  return (
    <div className="space-y-2">
      {crumbs}
      <PageHeader
        title="Deliveries"
        description="Every email, Slack post and webhook call, newest first. Pending ones are retried with backoff; dead ones were given up. Retry now tries one again at once."
      />
      <div className="space-y-4">
        <DeliveryStatusFilter current={status ?? null} statuses={STATUSES} basePath={BASE_PATH} />
        {deliveries.length === 0 ? (
          <EmptyState title={status ? `No ${status} deliveries` : "No deliveries yet"}>
            <p>Deliveries show here once an event is sent to someone: by email, to Slack or to a webhook endpoint.</p>
          </EmptyState>
        ) : (
          <Card className="overflow-x-auto">
            <DeliveryList deliveries={deliveries} action={retryDeliveryAction} />
          </Card>
        )}
        {olderHref || before ? (
          <p className="flex flex-wrap gap-x-4 text-sm">
            {before ? (
              <Link href={status ? `${BASE_PATH}?status=${status}` : BASE_PATH} className="text-sky-800 underline">
                Newest deliveries
              </Link>
            ) : null}
            {olderHref ? (
              <Link href={olderHref} className="text-sky-800 underline">
                Older deliveries
              </Link>
            ) : null}
          </p>
        ) : null}
      </div>
    </div>
  );
}
