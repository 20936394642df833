import Link from "next/link";
import { cn } from "@/components/ui/cn";
import type { DeliveryInfo } from "@/lib/queries";
import { deliveryStatusLabels } from "./delivery-status-badge";

/** Status filters of the deliveries page as links (each one a URL you can share); the current one is marked with aria-current. */
export function DeliveryStatusFilter({ current, statuses, basePath }: { current: DeliveryInfo["status"] | null; statuses: readonly DeliveryInfo["status"][]; basePath: string }) {
  const options: Array<{ status: DeliveryInfo["status"] | null; label: string }> = [{ status: null, label: "All" }, ...statuses.map((status) => ({ status, label: deliveryStatusLabels[status] }))];
  return (
    <nav aria-label="Filter deliveries by status" className="-mx-4 overflow-x-auto px-4">
      <ul className="flex min-w-max gap-1 border-b border-slate-200">
        {options.map((option) => {
          const isCurrent = option.status === current;
          return (
            <li key={option.label}>
              <Link
                href={option.status ? `${basePath}?status=${option.status}` : basePath}
                aria-current={isCurrent ? "page" : undefined}
                className={cn(
                  "-mb-px inline-block border-b-2 px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-sky-600",
                  isCurrent ? "border-emerald-700 font-semibold text-slate-900" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
                )}
              >
                {option.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
