"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { CardBody } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { SectionCard } from "@/components/ui/section-card";
import type { NotificationChannelsInfo } from "@/lib/queries";
import { AddWebhookEndpointForm, type AddWebhookEndpointAction } from "./add-webhook-endpoint-form";
import { SlackConnectionForm, type SetSlackWebhookAction } from "./slack-connection-form";
import {
  WebhookEndpointList,
  type RemoveWebhookEndpointAction,
  type SendTestEventAction,
} from "./webhook-endpoint-list";

export interface NotificationChannelsProps {
  channels: NotificationChannelsInfo;
  /** Every event kind an endpoint can receive, in the order to offer them. */
  eventKinds: readonly string[];
  /** The deliveries page; `?status=` filters it. */
  deliveriesHref: string;
  actions: {
    setSlackWebhook: SetSlackWebhookAction;
    addWebhookEndpoint: AddWebhookEndpointAction;
    removeWebhookEndpoint: RemoveWebhookEndpointAction;
    sendTestEvent: SendTestEventAction;
  };
}

/**
 * The admins' notification channels: how many deliveries are waiting, delivered or given up (each a link to the
 * deliveries page), whether email is set up, the workspace's Slack channel and its webhook endpoints. After a
 * change it refreshes the server-rendered data (router.refresh keeps this state, so a new secret stays on screen).
 */
export function NotificationChannels({ channels, eventKinds, deliveriesHref, actions }: NotificationChannelsProps) {
  const router = useRouter();
  const refresh = useCallback(() => router.refresh(), [router]);
  return (
    <div className="space-y-6">
      <SectionCard
        title="Deliveries"
        description="Every email, Slack post and webhook call goes through an outbox and is retried until it arrives."
      >
        <CardBody className="space-y-3">
          <DeliveryCounts counts={channels.deliveryCounts} deliveriesHref={deliveriesHref} />
          <p className="text-sm">
            <Link href={deliveriesHref} className="font-medium text-sky-800 underline">
              See every delivery
            </Link>
            <span className="text-slate-600">, with its attempts, last error and payload.</span>
          </p>
        </CardBody>
      </SectionCard>

      <SectionCard
        title="Email"
        description="Each person chooses on their Settings what they hear about; this is where the email comes from."
      >
        <CardBody>
          {channels.email.configured ? (
            <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700" data-testid="email-channel">
              <Badge tone="success">On</Badge>
              <span>
                Sent through the SMTP server in <code className="font-mono text-xs">SMTP_URL</code>, from{" "}
                <span className="font-medium wrap-anywhere text-slate-900">{channels.email.from}</span>.
              </span>
            </p>
          ) : (
            <Alert tone="warning" title="Not configured: set SMTP_URL." className="max-w-prose">
              <p data-testid="email-channel">
                No email is sent, and none is recorded, until <code className="font-mono text-xs">SMTP_URL</code> (e.g.{" "}
                <code className="font-mono text-xs wrap-anywhere">smtps://user:password@smtp.example.com:465</code>) and{" "}
                <code className="font-mono text-xs">MAIL_FROM</code> are set in the server’s environment and it is
                restarted.
              </p>
            </Alert>
          )}
        </CardBody>
      </SectionCard>

      <SectionCard
        title="Slack"
        description="One channel for the team’s news: drafts to review, escalations, publications, rejections and failures (not reminders or revision requests)."
      >
        <CardBody>
          <SlackConnectionForm slack={channels.slack} action={actions.setSlackWebhook} onChanged={refresh} />
        </CardBody>
      </SectionCard>

      <SectionCard
        title={`Webhook endpoints (${channels.webhooks.length})`}
        description="Draftgate posts the events you choose to each endpoint, signed with its own secret (Standard Webhooks)."
      >
        <CardBody className="border-b border-slate-200">
          <AddWebhookEndpointForm eventKinds={eventKinds} action={actions.addWebhookEndpoint} onAdded={refresh} />
        </CardBody>
        <h3 className="sr-only">Endpoints</h3>
        <WebhookEndpointList
          endpoints={channels.webhooks}
          removeAction={actions.removeWebhookEndpoint}
          testAction={actions.sendTestEvent}
          onChanged={refresh}
        />
      </SectionCard>
    </div>
  );
}

const COUNTS = [
  { status: "pending", label: "pending", tone: "text-amber-900" },
  { status: "delivered", label: "delivered", tone: "text-emerald-900" },
  { status: "dead", label: "dead (gave up)", tone: "text-rose-800" },
] as const;

function DeliveryCounts({
  counts,
  deliveriesHref,
}: {
  counts: NotificationChannelsInfo["deliveryCounts"];
  deliveriesHref: string;
}) {
  return (
    <ul className="grid max-w-md grid-cols-3 gap-3" aria-label="Deliveries by status">
      {COUNTS.map(({ status, label, tone }) => (
        <li key={status}>
          <Link
            href={`${deliveriesHref}?status=${status}`}
            className="block h-full rounded-md border border-slate-200 px-3 py-2 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-sky-600"
            data-testid={`delivery-count-${status}`}
          >
            <span
              className={cn("block text-xl font-semibold tabular-nums", counts[status] > 0 ? tone : "text-slate-900")}
            >
              {counts[status].toLocaleString("en-US")}
            </span>
            <span className="text-sm text-slate-600">{label}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
