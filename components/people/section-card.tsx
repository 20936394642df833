import type { ReactNode } from "react";
import { Card, CardHeader } from "@/components/ui/card";

/** A page section: a card named by its heading (a landmark region), with a one-line explanation under it. */
export function SectionCard({ headingId, title, description, children }: { headingId: string; title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <Card aria-labelledby={headingId}>
      <CardHeader>
        <div className="space-y-0.5">
          <h2 id={headingId} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          {description ? <p className="text-sm text-slate-600">{description}</p> : null}
        </div>
      </CardHeader>
      {children}
    </Card>
  );
}
