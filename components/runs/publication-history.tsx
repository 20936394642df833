import { CardBody } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { SectionCard } from "@/components/ui/section-card";
import type { Publication } from "@/lib/queries";
import { MarkdownView } from "./markdown-view";

/**
 * Published versions kept for the record, newest first, each collapsed: a re-opened run never hides what it
 * published before.
 */
export function PublicationHistory({
  publications,
  title,
  description,
}: {
  publications: Publication[];
  title: string;
  description?: string;
}) {
  const newestFirst = [...publications].reverse();
  return (
    <SectionCard
      title={
        <>
          {title} <span className="font-normal text-slate-600">({publications.length})</span>
        </>
      }
      description={description}
    >
      <CardBody className="space-y-3">
        {newestFirst.map((publication) => (
          <details key={publication.version} className="group rounded-md border border-slate-200">
            <summary className="cursor-pointer list-none rounded-md px-3 py-2 text-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-sky-600 [&::-webkit-details-marker]:hidden">
              <span
                aria-hidden="true"
                className="mr-1.5 inline-block text-slate-500 transition-transform group-open:rotate-90"
              >
                ▸
              </span>
              <strong className="font-semibold">Version {publication.version}</strong>
              <span className="text-slate-700">
                {" "}
                · approved {publication.approvedBy ? `by ${publication.approvedBy}` : "(approver not recorded)"},{" "}
                <LocalTime iso={publication.publishedAt} />
              </span>
            </summary>
            <div className="border-t border-slate-200 px-3 py-3">
              <MarkdownView text={publication.text} />
            </div>
          </details>
        ))}
      </CardBody>
    </SectionCard>
  );
}
