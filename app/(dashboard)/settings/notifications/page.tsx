import type { Metadata } from "next";
import { connection } from "next/server";
import { NotificationChannels } from "@/components/settings/notification-channels";
import { AdminsOnlyNotice } from "@/components/settings/admins-only-notice";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { PageHeader } from "@/components/ui/page-header";
import {
  addWebhookEndpointAction,
  removeWebhookEndpointAction,
  sendTestEventAction,
  setSlackWebhookAction,
} from "@/lib/actions/notification-channels";
import { requirePageActor } from "@/lib/auth/current";
import { getService, hasPermission, NOTIFICATION_KINDS } from "@/lib/services";

export const metadata: Metadata = { title: "Notification channels" };

const DELIVERIES_PATH = "/settings/notifications/deliveries";

/** The admins' notification channels (docs/NOTIFICATIONS.md): email, Slack, webhook endpoints and how deliveries stand. */
export default async function NotificationChannelsPage() {
  await connection();
  const actor = await requirePageActor();
  const crumbs = <Breadcrumbs items={[{ label: "Settings", href: "/settings" }, { label: "Notification channels" }]} />;
  if (!hasPermission(actor, "settings:manage")) {
    return (
      <div className="max-w-3xl space-y-2">
        {crumbs}
        <PageHeader title="Notification channels" />
        <AdminsOnlyNotice title="Only admins can set up notification channels." role={actor.role} />
      </div>
    );
  }
  return (
    <div className="max-w-3xl space-y-2">
      {crumbs}
      <PageHeader
        title="Notification channels"
        description="How Draftgate reaches the team beyond the app: email, a Slack channel and webhooks, and how their deliveries stand."
      />
      <NotificationChannels
        channels={await getService().notifications.getChannels(actor)}
        eventKinds={NOTIFICATION_KINDS}
        deliveriesHref={DELIVERIES_PATH}
        actions={{
          setSlackWebhook: setSlackWebhookAction,
          addWebhookEndpoint: addWebhookEndpointAction,
          removeWebhookEndpoint: removeWebhookEndpointAction,
          sendTestEvent: sendTestEventAction,
        }}
      />
    </div>
  );
}
