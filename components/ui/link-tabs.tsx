import Link from "next/link";
import { cn } from "./cn";

export interface LinkTab {
  label: string;
  href: string;
  isCurrent: boolean;
}

/** Views of one list as links (each a URL to share or bookmark); the current one is marked with aria-current. */
export function LinkTabs({ label, tabs }: { label: string; tabs: readonly LinkTab[] }) {
  return (
    <nav aria-label={label} className="-mx-4 overflow-x-auto px-4">
      <ul className="flex min-w-max gap-1 border-b border-slate-200">
        {tabs.map((tab) => (
          <li key={tab.href}>
            <Link
              href={tab.href}
              aria-current={tab.isCurrent ? "page" : undefined}
              className={cn(
                "-mb-px inline-block border-b-2 px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-sky-600",
                tab.isCurrent
                  ? "border-emerald-700 font-semibold text-slate-900"
                  : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
              )}
            >
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
