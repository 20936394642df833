import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { MarkdownView } from "./markdown-view";

export interface PublishedTextProps {
  text: string;
  /** Who approved this version; null when not recorded. */
  approvedBy: string | null;
  approvedAt: string | null;
  /** The version number when the run was published more than once (re-opened and approved again). */
  version?: number | null;
}

/** The release notes as published, with who approved them. */
export function PublishedText({ text, approvedBy, approvedAt, version = null }: PublishedTextProps) {
  return (
    <Card aria-labelledby="published-heading" className="border-emerald-300">
      <CardHeader className="bg-emerald-50/60">
        <h2 id="published-heading" className="font-semibold">
          Published release notes{version !== null ? <span className="font-normal text-slate-700"> · version {version} (current)</span> : null}
        </h2>
        <span className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          <Badge tone="success">
            <span aria-hidden="true">✓</span> Approved
          </Badge>
          {approvedBy || approvedAt ? (
            <span>
              {approvedBy ? `by ${approvedBy}` : null}
              {approvedBy && approvedAt ? ", " : null}
              {approvedAt ? <LocalTime iso={approvedAt} /> : null}
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
