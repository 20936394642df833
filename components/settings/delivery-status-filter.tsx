import { LinkTabs } from "@/components/ui/link-tabs";
import type { DeliveryInfo } from "@/lib/queries";
import { deliveryStatusLabels } from "./delivery-status-badge";

/** Status filters of the deliveries page: All, then each status. */
export function DeliveryStatusFilter({
  current,
  statuses,
  basePath,
}: {
  current: DeliveryInfo["status"] | null;
  statuses: readonly DeliveryInfo["status"][];
  basePath: string;
}) {
  const tabs = [
    { label: "All", href: basePath, isCurrent: current === null },
    ...statuses.map((status) => ({
      label: deliveryStatusLabels[status],
      href: `${basePath}?status=${status}`,
      isCurrent: status === current,
    })),
  ];
  return <LinkTabs label="Filter deliveries by status" tabs={tabs} />;
}
