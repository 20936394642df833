import Link from "next/link";
import { Fragment, type ReactNode } from "react";
import { cn } from "./cn";

export interface Crumb {
  label: ReactNode;
  /** Omitted for the current page, which is marked `aria-current`. */
  href?: string;
  className?: string;
}

/** The trail above a page title: links to the pages above it, then the current page. */
export function Breadcrumbs({ items }: { items: readonly Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
      <ol className="flex flex-wrap items-center gap-1.5">
        {items.map((item, i) => (
          <Fragment key={i}>
            {i > 0 ? <li aria-hidden="true">/</li> : null}
            <li className={cn(item.className)} aria-current={item.href ? undefined : "page"}>
              {item.href ? (
                <Link href={item.href} className="hover:underline">
                  {item.label}
                </Link>
              ) : (
                item.label
              )}
            </li>
          </Fragment>
        ))}
      </ol>
    </nav>
  );
}
