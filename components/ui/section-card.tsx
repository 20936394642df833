import { useId, type ReactNode } from "react";
import { Card, CardHeader } from "./card";
import { cn } from "./cn";

export type SectionCardTone = "default" | "warning" | "success" | "danger";

const tones: Record<SectionCardTone, { card?: string; header?: string }> = {
  default: {},
  warning: { card: "border-amber-300 shadow-sm ring-1 ring-amber-200", header: "bg-amber-50/50" },
  success: { card: "border-emerald-300", header: "bg-emerald-50/60" },
  danger: { card: "border-rose-300", header: "bg-rose-50/60" },
};

export interface SectionCardProps {
  /** The heading; it also names the section (a landmark region, found by role and name). */
  title: ReactNode;
  /** A line under the heading. */
  description?: ReactNode;
  /** Beside the heading, wrapping under it when narrow: status badges, a shortcuts button. A `w-full` child takes a line of its own. */
  meta?: ReactNode;
  /** h2 for a page's sections, h3 for sections inside one. */
  headingLevel?: 2 | 3;
  /** `aside` for a side panel (a complementary landmark) rather than a region. */
  as?: "section" | "aside";
  /** Emphasis for the card that matters most on the page: the draft awaiting review, the published text, the rejection. */
  tone?: SectionCardTone;
  /** For links to the section (`#notifications`). */
  id?: string;
  className?: string;
  /** The body: usually one or more CardBody, or a table that runs edge to edge. */
  children: ReactNode;
}

/** A page section: a card named by its heading (aria-labelledby), with an optional line under the heading and status beside it. */
export function SectionCard({
  title,
  description,
  meta,
  headingLevel = 2,
  as = "section",
  tone = "default",
  id,
  className,
  children,
}: SectionCardProps) {
  const headingId = useId();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <Card as={as} id={id} aria-labelledby={headingId} className={cn(tones[tone].card, className)}>
      <CardHeader className={tones[tone].header}>
        <div className="min-w-0 space-y-0.5">
          <Heading id={headingId} className="text-base font-semibold text-slate-900">
            {title}
          </Heading>
          {description ? <p className="text-sm text-slate-600">{description}</p> : null}
        </div>
        {meta}
      </CardHeader>
      {children}
    </Card>
  );
}
