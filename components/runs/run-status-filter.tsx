import { LinkTabs } from "@/components/ui/link-tabs";
import type { RunStatus } from "@/lib/queries";
import { runStatusLabels } from "./run-status-badge";

/** Status filters of the runs list: All, then each status. */
export function RunStatusFilter({ current, statuses }: { current: RunStatus | null; statuses: readonly RunStatus[] }) {
  const tabs = [
    { label: "All", href: "/runs", isCurrent: current === null },
    ...statuses.map((status) => ({
      label: runStatusLabels[status],
      href: `/runs?status=${status}`,
      isCurrent: status === current,
    })),
  ];
  return <LinkTabs label="Filter runs by status" tabs={tabs} />;
}
