import { LinkTabs } from "@/components/ui/link-tabs";
import type { InboxScope } from "@/lib/queries";

/** The inbox's two views: the runs assigned to me, and all. */
export function InboxTabs({ current }: { current: InboxScope }) {
  const tabs = [
    { label: "Assigned to me", href: "/reviews?assigned=me", isCurrent: current === "me" },
    { label: "All", href: "/reviews", isCurrent: current === "all" },
  ];
  return <LinkTabs label="Filter the inbox" tabs={tabs} />;
}
