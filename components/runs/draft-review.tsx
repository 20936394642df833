import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Age } from "@/components/ui/local-time";
import type { DraftVersion, ReviewRequest } from "@/lib/queries";
import { DraftDiff } from "./draft-diff";
import { MarkdownView } from "./markdown-view";

/** The draft under review, rendered, and what changed since the draft before it. */
export function DraftReview({ request, previous }: { request: ReviewRequest; previous: DraftVersion | null }) {
  return (
    <>
      <Card aria-labelledby="draft-heading">
        <CardHeader>
          <h2 id="draft-heading" className="font-semibold">
            Draft {request.iteration}
          </h2>
          <span className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
            <Badge tone="warning">Awaiting review</Badge>
            <Age iso={request.createdAt} prefix="waiting" />
          </span>
        </CardHeader>
        <CardBody>
          <MarkdownView text={request.draft} />
        </CardBody>
      </Card>
      {previous ? (
        <Card aria-labelledby="diff-heading">
          <CardHeader>
            <h2 id="diff-heading" className="font-semibold">
              Changes since draft {previous.iteration}
            </h2>
          </CardHeader>
          <CardBody>
            <DraftDiff previous={previous.text} current={request.draft} previousLabel={`Draft ${previous.iteration}`} currentLabel={`Draft ${request.iteration}`} />
          </CardBody>
        </Card>
      ) : null}
    </>
  );
}
