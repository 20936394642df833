"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { reviewCountQuery } from "@/lib/queries";

const links = [
  { href: "/reviews", label: "Inbox", isActive: (path: string) => path === "/reviews", isForAdmins: false },
  {
    href: "/runs",
    label: "Runs",
    isActive: (path: string) => path === "/runs" || (path.startsWith("/runs/") && path !== "/runs/new"),
    isForAdmins: false,
  },
  { href: "/runs/new", label: "New brief", isActive: (path: string) => path === "/runs/new", isForAdmins: false },
  { href: "/people", label: "People", isActive: (path: string) => path === "/people", isForAdmins: true },
  {
    href: "/settings",
    label: "Settings",
    isActive: (path: string) => path === "/settings" || path.startsWith("/settings/"),
    isForAdmins: false,
  },
] as const;

/** The main navigation; the inbox link carries the live number of runs awaiting review. People is for admins. */
export function MainNav({ canManagePeople }: { canManagePeople: boolean }) {
  const pathname = usePathname();
  const { data: count } = useQuery(reviewCountQuery());
  return (
    <nav aria-label="Main" className="flex flex-wrap items-center gap-x-6 gap-y-2">
      <Link href="/reviews" className="flex items-center gap-2 text-lg font-semibold tracking-tight text-slate-900">
        <span
          aria-hidden="true"
          className="grid size-7 place-items-center rounded-md bg-emerald-700 text-sm text-white"
        >
          ✓
        </span>
        Draftgate
      </Link>
      <ul className="flex flex-wrap gap-1 text-sm">
        {links
          .filter((link) => canManagePeople || !link.isForAdmins)
          .map((link) => {
            const isActive = link.isActive(pathname);
            return (
              <li key={link.href}>
                <Link
                  href={link.href}
                  aria-current={isActive ? "page" : undefined}
                  className={cn(
                    "inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 focus-visible:outline-2 focus-visible:outline-sky-600",
                    isActive
                      ? "bg-slate-100 font-semibold text-slate-900"
                      : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
                  )}
                >
                  {link.label}
                  {link.href === "/reviews" && count !== undefined && count > 0 ? (
                    <span
                      className="min-w-5 rounded-full bg-amber-700 px-1.5 text-center text-xs font-semibold text-white tabular-nums"
                      data-testid="review-count"
                    >
                      {count}
                      <span className="sr-only"> awaiting review</span>
                    </span>
                  ) : null}
                </Link>
              </li>
            );
          })}
      </ul>
    </nav>
  );
}
