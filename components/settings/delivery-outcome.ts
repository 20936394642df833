import { formatDateTime } from "@/components/ui/local-time";
import type { DeliveryInfo } from "@/lib/queries";

/** How one attempt at a delivery came out, in a sentence: delivered, or the error and what happens next. */
export function describeDeliveryOutcome(
  delivery: Pick<DeliveryInfo, "status" | "lastError" | "nextAttemptAt">,
): string {
  if (delivery.status === "delivered") return "Delivered.";
  const error = (delivery.lastError ?? "no answer").trim().replace(/\.$/, "");
  if (delivery.status === "dead") return `Not delivered: ${error}. Draftgate gave up on it.`;
  return `Not delivered: ${error}. It will be retried${delivery.nextAttemptAt ? ` at ${formatDateTime(delivery.nextAttemptAt)}` : ""}.`;
}
