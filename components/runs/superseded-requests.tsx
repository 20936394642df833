import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import type { ReviewRequest } from "@/lib/queries";

/** Requests left open on an older branch: shown for the record, never answerable. */
export function SupersededRequests({ requests }: { requests: ReviewRequest[] }) {
  return (
    <ul className="space-y-3">
      {requests.map((request) => (
        <li key={request.requestId} className="rounded-md border border-slate-200 bg-slate-50 p-3">
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <Badge tone="muted">Superseded</Badge>
            <span>
              Draft {request.iteration}, asked <LocalTime iso={request.createdAt} />
            </span>
          </p>
          <p className="mt-2 line-clamp-3 whitespace-pre-wrap break-words text-sm text-slate-700">{request.draft}</p>
          <p className="mt-1 text-xs text-slate-600">
            A resume from an earlier checkpoint started a newer branch; this request can no longer be answered.
          </p>
        </li>
      ))}
    </ul>
  );
}
