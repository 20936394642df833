import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import type { Decision } from "@/lib/queries";
import { MarkdownView } from "./markdown-view";

/** The release notes as published, with who approved them. */
export function PublishedText({ text, approval }: { text: string; approval: Decision | undefined }) {
  return (
    <Card aria-labelledby="published-heading" className="border-emerald-300">
      <CardHeader className="bg-emerald-50/60">
        <h2 id="published-heading" className="font-semibold">
          Published release notes
        </h2>
        <span className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          <Badge tone="success">
            <span aria-hidden="true">✓</span> Approved
          </Badge>
          {approval ? (
            <span>
              by {approval.decidedBy ?? "an unnamed reviewer"}, <LocalTime iso={approval.decidedAt} />
            </span>
          ) : null}
        </span>
      </CardHeader>
      <CardBody>
        <MarkdownView text={text} />
      </CardBody>
    </Card>
  );
}
