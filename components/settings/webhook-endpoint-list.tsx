"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { FormStatus } from "@/components/people/form-helpers";
import { Button } from "@/components/ui/button";
import { LocalTime } from "@/components/ui/local-time";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { DeliveryInfo, WebhookEndpointInfo } from "@/lib/queries";
import { describeDeliveryOutcome } from "./delivery-outcome";

export type RemoveWebhookEndpointAction = (
  previous: ActionState<null>,
  formData: FormData,
) => Promise<ActionResult<null>>;
export type SendTestEventAction = (
  previous: ActionState<DeliveryInfo>,
  formData: FormData,
) => Promise<ActionResult<DeliveryInfo>>;

export interface WebhookEndpointListProps {
  endpoints: WebhookEndpointInfo[];
  removeAction: RemoveWebhookEndpointAction;
  testAction: SendTestEventAction;
  /** Called after an endpoint was removed (to refresh the list). */
  onChanged: () => void;
}

/** The workspace's webhook endpoints, oldest first: where each posts, which events, a test event, and removal. */
export function WebhookEndpointList({ endpoints, removeAction, testAction, onChanged }: WebhookEndpointListProps) {
  // The removed endpoint leaves the list on refresh, taking its own status line along: the news is said here.
  const [removedUrl, setRemovedUrl] = useState<string | null>(null);
  const onRemoved = (url: string) => {
    setRemovedUrl(url);
    onChanged();
  };
  return (
    <div>
      {endpoints.length === 0 ? (
        <p className="px-4 py-4 text-sm text-slate-600">
          No webhook endpoints yet. Endpoints you add show here, with a button to send them a test event.
        </p>
      ) : (
        <ul className="divide-y divide-slate-200" aria-label="Webhook endpoints">
          {endpoints.map((endpoint) => (
            <EndpointItem
              key={endpoint.id}
              endpoint={endpoint}
              removeAction={removeAction}
              testAction={testAction}
              onRemoved={onRemoved}
            />
          ))}
        </ul>
      )}
      <FormStatus
        message={removedUrl ? `Endpoint ${removedUrl} removed: nothing more is sent to it.` : ""}
        isError={false}
        className="px-4 pb-3 empty:pb-0"
      />
    </div>
  );
}

/** What a test event's delivery came to, in words. */
function testOutcome(delivery: DeliveryInfo): string {
  if (delivery.status === "delivered") return "Delivered: the endpoint answered with a 2xx status.";
  return `${describeDeliveryOutcome(delivery)} See Deliveries.`;
}

function EndpointItem({
  endpoint,
  removeAction,
  testAction,
  onRemoved,
}: {
  endpoint: WebhookEndpointInfo;
  removeAction: RemoveWebhookEndpointAction;
  testAction: SendTestEventAction;
  onRemoved: (url: string) => void;
}) {
  const name = endpoint.description || endpoint.url;
  // Removing cannot be undone (the receiver's secret is gone with it), so it takes a second, explicit click.
  const [isConfirming, setIsConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const removeRef = useRef<HTMLButtonElement>(null);
  const focusNext = useRef<"confirm" | "remove" | null>(null);
  const [removeState, removeFormAction, isRemoving] = useActionState(
    async (previous: ActionState<null>, formData: FormData) => {
      const result = await removeAction(previous, formData);
      if (result.ok) onRemoved(endpoint.url);
      return result;
    },
    null,
  );
  const [testState, testFormAction, isTesting] = useActionState(testAction, null);

  useEffect(() => {
    if (focusNext.current === "confirm") confirmRef.current?.focus();
    if (focusNext.current === "remove") removeRef.current?.focus();
    focusNext.current = null;
  }, [isConfirming]);

  function showConfirmation(isShown: boolean) {
    focusNext.current = isShown ? "confirm" : "remove";
    setIsConfirming(isShown);
  }

  const isDelivered = testState?.ok && testState.data.status === "delivered";
  const testStatus = isTesting
    ? "Sending a test event…"
    : testState?.ok
      ? testOutcome(testState.data)
      : testState
        ? testState.error.message
        : "";
  const removeStatus = isRemoving ? "Removing…" : removeState && !removeState.ok ? removeState.error.message : "";

  return (
    <li className="px-4 py-4 text-sm" data-testid="webhook-endpoint">
      <div className="min-w-0 space-y-1">
        <p className="font-medium break-words text-slate-900">
          {endpoint.description || <span className="text-slate-600">No description</span>}
        </p>
        <p>
          <code className="font-mono text-xs wrap-anywhere text-slate-800">{endpoint.url}</code>
        </p>
        <ul className="flex flex-wrap gap-1.5" aria-label="Events it receives">
          {endpoint.kinds.map((kind) => (
            <li key={kind} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
              {kind}
            </li>
          ))}
        </ul>
        <p className="text-slate-600">
          Added <LocalTime iso={endpoint.createdAt} />
        </p>
      </div>
      <div className="mt-3 flex flex-wrap items-start gap-2">
        <form action={testFormAction}>
          <input type="hidden" name="endpointId" value={endpoint.id} />
          <Button type="submit" disabled={isTesting}>
            {isTesting ? "Sending…" : "Send test event"}
            <span className="sr-only"> to {name}</span>
          </Button>
        </form>
        <form action={removeFormAction}>
          <input type="hidden" name="endpointId" value={endpoint.id} />
          {isConfirming ? (
            <div className="flex flex-wrap items-center gap-2">
              <p className="text-slate-800">Nothing more is sent to it.</p>
              <Button ref={confirmRef} type="submit" variant="danger" disabled={isRemoving}>
                Remove<span className="sr-only"> endpoint {name}</span> now
              </Button>
              <Button variant="ghost" onClick={() => showConfirmation(false)} disabled={isRemoving}>
                Keep it
              </Button>
            </div>
          ) : (
            <Button ref={removeRef} onClick={() => showConfirmation(true)} className="text-rose-800">
              Remove<span className="sr-only"> endpoint {name}</span>
            </Button>
          )}
        </form>
      </div>
      <SessionEnded
        code={
          (testState && !testState.ok ? testState.error.code : undefined) ??
          (removeState && !removeState.ok ? removeState.error.code : undefined)
        }
      />
      <FormStatus
        message={testStatus}
        isError={Boolean(testState && !isDelivered) && !isTesting}
        className="mt-2 empty:mt-0"
      />
      <FormStatus
        message={removeStatus}
        isError={Boolean(removeState && !removeState.ok) && !isRemoving}
        className="mt-2 empty:mt-0"
      />
    </li>
  );
}
