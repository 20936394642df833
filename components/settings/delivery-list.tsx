"use client";

import Link from "next/link";
import { useActionState } from "react";
import { FormStatus } from "@/components/people/form-helpers";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { LocalTime } from "@/components/ui/local-time";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { DeliveryInfo } from "@/lib/queries";
import { describeDeliveryOutcome } from "./delivery-outcome";
import { DeliveryStatusBadge } from "./delivery-status-badge";

export type RetryDeliveryAction = (
  previous: ActionState<DeliveryInfo>,
  formData: FormData,
) => Promise<ActionResult<DeliveryInfo>>;

export interface DeliveryListProps {
  deliveries: DeliveryInfo[];
  action: RetryDeliveryAction;
}

const CHANNEL_LABELS: Record<DeliveryInfo["channel"], string> = { email: "Email", webhook: "Webhook", slack: "Slack" };

const COLUMNS = ["Time", "Event", "Channel", "Address", "Status", "Attempts", "Next attempt", "Last error"] as const;

/** The label a cell carries on narrow screens, where the table's rows stack (the column headers are hidden there). */
function CellLabel({ children }: { children: string }) {
  return (
    <span aria-hidden="true" className="block text-xs font-medium text-slate-500 sm:hidden">
      {children}
    </span>
  );
}

const cellClasses = "px-3 py-3 max-sm:block max-sm:p-0";

/**
 * Deliveries, newest first as the server lists them: when, which event (with its run), where to, how it stands,
 * and its payload as the receiver gets it (text in a <pre>, never markup). Pending and dead ones can be retried now.
 * On narrow screens each delivery's cells stack into a block.
 */
export function DeliveryList({ deliveries, action }: DeliveryListProps) {
  return (
    <table className="w-full border-collapse text-sm max-sm:block">
      <caption className="sr-only">Notification deliveries, newest first</caption>
      <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-semibold tracking-wide whitespace-nowrap text-slate-600 uppercase max-sm:sr-only">
        <tr>
          {COLUMNS.map((column) => (
            <th key={column} scope="col" className="px-3 py-2">
              {column}
            </th>
          ))}
          <th scope="col" className="px-3 py-2">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      {deliveries.map((delivery) => (
        <DeliveryRows key={delivery.id} delivery={delivery} action={action} />
      ))}
    </table>
  );
}

/**
 * One delivery: its row, then a row with its payload (folded). Each delivery is its own <tbody>. After Retry now the
 * row shows the delivery as the retry left it, in place (no refresh: under a status filter it would vanish, and its
 * news with it), unless the page has since been loaded with a later attempt.
 */
function DeliveryRows({ delivery: listed, action }: { delivery: DeliveryInfo; action: RetryDeliveryAction }) {
  const [state, formAction, isPending] = useActionState(action, null);
  const retried = state?.ok ? state.data : null;
  const delivery = retried && (retried.lastAttemptAt ?? "") >= (listed.lastAttemptAt ?? "") ? retried : listed;
  const canRetry = delivery.status !== "delivered";
  const status = isPending
    ? "Retrying…"
    : retried
      ? describeDeliveryOutcome(retried)
      : state && !state.ok
        ? state.error.message
        : "";
  return (
    <tbody
      className="border-b border-slate-200 align-top max-sm:block max-sm:py-4 max-sm:px-4"
      data-testid="delivery"
      data-delivery-id={delivery.id}
    >
      {/* narrow screens: a two-column grid, the long values (address, error) across both (dense fills the gaps) */}
      <tr className="max-sm:grid max-sm:grid-flow-row-dense max-sm:grid-cols-2 max-sm:gap-x-4 max-sm:gap-y-3">
        <td className={cn(cellClasses, "whitespace-nowrap text-slate-700")}>
          <CellLabel>Time</CellLabel>
          <LocalTime iso={delivery.createdAt} withSeconds />
        </td>
        <td className={cellClasses}>
          <CellLabel>Event</CellLabel>
          <code className="font-mono text-xs whitespace-nowrap text-slate-900" data-testid="delivery-event">
            {delivery.eventKind}
          </code>
          {delivery.runId ? (
            <Link href={`/runs/${delivery.runId}`} className="block text-sky-800 underline" data-testid="delivery-run">
              Run {delivery.runId.slice(0, 8)}
            </Link>
          ) : null}
        </td>
        <td className={cn(cellClasses, "text-slate-700")}>
          <CellLabel>Channel</CellLabel>
          {CHANNEL_LABELS[delivery.channel]}
        </td>
        <td
          className={cn(
            cellClasses,
            "min-w-44 max-w-60 wrap-anywhere text-slate-900 max-sm:col-span-2 max-sm:max-w-none max-sm:min-w-0",
          )}
        >
          <CellLabel>Address</CellLabel>
          <span data-testid="delivery-address">{delivery.address}</span>
        </td>
        <td className={cellClasses}>
          <CellLabel>Status</CellLabel>
          <DeliveryStatusBadge status={delivery.status} />
          {delivery.deliveredAt ? (
            <span className="mt-1 block text-xs whitespace-nowrap text-slate-600">
              <LocalTime iso={delivery.deliveredAt} withSeconds />
            </span>
          ) : null}
        </td>
        <td className={cn(cellClasses, "text-slate-700 tabular-nums")}>
          <CellLabel>Attempts</CellLabel>
          <span data-testid="delivery-attempts">{delivery.attempts}</span>
        </td>
        <td className={cn(cellClasses, "text-slate-700")}>
          <CellLabel>Next attempt</CellLabel>
          {delivery.nextAttemptAt ? (
            <LocalTime iso={delivery.nextAttemptAt} withSeconds />
          ) : (
            <span className="text-slate-500">—</span>
          )}
        </td>
        <td className={cn(cellClasses, "max-w-64 break-words text-slate-700 max-sm:col-span-2 max-sm:max-w-none")}>
          <CellLabel>Last error</CellLabel>
          {delivery.lastError ? (
            <span className="text-rose-800">{delivery.lastError}</span>
          ) : (
            <span className="text-slate-500">—</span>
          )}
        </td>
        <td className={cn(cellClasses, "max-sm:col-span-2")}>
          {canRetry ? (
            <form action={formAction}>
              <input type="hidden" name="deliveryId" value={delivery.id} />
              <Button type="submit" disabled={isPending} className="whitespace-nowrap">
                {isPending ? "Retrying…" : "Retry now"}
                <span className="sr-only">
                  {" "}
                  the {delivery.eventKind} delivery to {delivery.address}
                </span>
              </Button>
            </form>
          ) : null}
          {/* outside the form: after a retry that delivered, the button goes and the news stays */}
          <SessionEnded code={state && !state.ok ? state.error.code : undefined} />
          <FormStatus
            message={status}
            isError={Boolean(state && !(state.ok && state.data.status === "delivered")) && !isPending}
            className="mt-1.5 max-w-48 empty:mt-0"
          />
        </td>
      </tr>
      <tr className="max-sm:block">
        <td colSpan={COLUMNS.length + 1} className="px-3 pb-3 max-sm:block max-sm:p-0 max-sm:pt-2">
          <details className="group">
            <summary className="w-fit cursor-pointer rounded text-sm text-sky-800 underline focus-visible:outline-2 focus-visible:outline-sky-600">
              Payload
              <span className="sr-only">
                {" "}
                of this {delivery.eventKind} delivery to {delivery.address}
              </span>
            </summary>
            <pre
              className="mt-2 max-h-96 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs whitespace-pre-wrap break-words text-slate-800"
              data-testid="delivery-payload"
            >
              {JSON.stringify(delivery.payload, null, 2)}
            </pre>
          </details>
        </td>
      </tr>
    </tbody>
  );
}
