import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { DeliveryInfo } from "@/lib/queries";

type DeliveryStatus = DeliveryInfo["status"];

export const deliveryStatusLabels: Record<DeliveryStatus, string> = {
  pending: "Pending",
  delivered: "Delivered",
  dead: "Dead",
};

const tones: Record<DeliveryStatus, BadgeTone> = { pending: "warning", delivered: "success", dead: "danger" };
// A shape per status, so the badge does not rely on colour alone.
const marks: Record<DeliveryStatus, string> = { pending: "◌", delivered: "✓", dead: "✕" };

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  return (
    <Badge tone={tones[status]} data-testid="delivery-status">
      <span aria-hidden="true">{marks[status]}</span>
      {deliveryStatusLabels[status]}
    </Badge>
  );
}
