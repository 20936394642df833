import { Badge } from "@/components/ui/badge";
import { CardBody } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { SectionCard } from "@/components/ui/section-card";
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
    <SectionCard
      title={
        <>
          Published release notes
          {version !== null ? <span className="font-normal text-slate-700"> · version {version} (current)</span> : null}
        </>
      }
      tone="success"
      meta={
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
      }
    >
      <CardBody>
        <MarkdownView text={text} />
      </CardBody>
    </SectionCard>
  );
}
