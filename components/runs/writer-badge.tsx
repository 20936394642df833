import { Badge } from "@/components/ui/badge";

/** Names the writer; the offline writer is visibly marked so its drafts are never mistaken for a model's. */
export function WriterBadge({ label, isModel }: { label: string; isModel: boolean }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      {isModel ? <Badge tone="info">Model</Badge> : <Badge tone="neutral">Offline</Badge>}
      <span className="text-sm text-slate-800">{label}</span>
    </span>
  );
}
