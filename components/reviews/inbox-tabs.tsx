import Link from "next/link";
import { cn } from "@/components/ui/cn";
import type { InboxScope } from "@/lib/queries";

const TABS: ReadonlyArray<{ scope: InboxScope; label: string; href: string }> = [
  { scope: "me", label: "Assigned to me", href: "/reviews?assigned=me" },
  { scope: "all", label: "All", href: "/reviews" },
];

/** The inbox's two views as links (each a URL to share or bookmark); the current one is marked with aria-current. */
export function InboxTabs({ current }: { current: InboxScope }) {
  return (
    <nav aria-label="Filter the inbox" className="-mx-4 overflow-x-auto px-4">
      <ul className="flex min-w-max gap-1 border-b border-slate-200">
        {TABS.map((tab) => {
          const isCurrent = tab.scope === current;
          return (
            <li key={tab.scope}>
              <Link
                href={tab.href}
                aria-current={isCurrent ? "page" : undefined}
                className={cn(
                  "-mb-px inline-block border-b-2 px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-sky-600",
                  isCurrent ? "border-emerald-700 font-semibold text-slate-900" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
                )}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
