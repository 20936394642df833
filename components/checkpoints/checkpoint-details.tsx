import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import type { CheckpointDetail } from "@/lib/queries";
import { checkpointKindLabels } from "./checkpoint-tree";
import { JsonBlock } from "./json-block";

interface QueuedMessageView {
  sourceId?: unknown;
  targetId?: unknown;
  type?: unknown;
  value?: unknown;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** What a checkpoint holds: its summary, shared state, executor states, queued messages and pending requests. */
export function CheckpointDetails({ detail }: { detail: CheckpointDetail }) {
  const { summary, checkpoint } = detail;
  const sharedState = asRecord(checkpoint.sharedState);
  const executorStates = asRecord(checkpoint.executorStates);
  const messages = asArray(checkpoint.messages) as QueuedMessageView[];
  const pending = asArray(checkpoint.pendingRequests).map(asRecord);
  return (
    <div className="space-y-6">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
        <Field term="Saved">
          <LocalTime iso={summary.createdAt} withSeconds />
        </Field>
        <Field term="Superstep">
          {summary.superstep} ({checkpointKindLabels[summary.kind]})
        </Field>
        <Field term="Status">
          <span className="inline-flex flex-wrap gap-1.5">
            <Badge tone="neutral">{summary.status}</Badge>
            {summary.isHead ? <Badge tone="info">Head</Badge> : null}
            {summary.isOnHeadLineage ? (
              <Badge tone="success">Newest lineage</Badge>
            ) : (
              <Badge tone="muted">Older branch</Badge>
            )}
          </span>
        </Field>
        <Field term="Runs next">{summary.targets.length > 0 ? summary.targets.join(", ") : "nothing queued"}</Field>
        <Field term="Checkpoint id">
          <code className="break-all font-mono text-xs">{summary.checkpointId}</code>
        </Field>
        <Field term="Continues from">
          <code className="break-all font-mono text-xs">{summary.parentId ?? "— (first checkpoint)"}</code>
        </Field>
      </dl>

      <Section title="Pending requests" count={pending.length} empty="No requests are waiting for an answer here.">
        <ul className="space-y-3">
          {pending.map((request, index) => (
            <li key={String(request.requestId ?? index)} className="space-y-2">
              <p className="text-sm">
                <code className="break-all font-mono text-xs">{String(request.requestId)}</code> ·{" "}
                {String(request.type)} from {String(request.sourceExecutorId)}
              </p>
              <JsonBlock value={request.payload} label={`Payload of request ${String(request.requestId)}`} />
            </li>
          ))}
        </ul>
      </Section>

      <Section title="Queued messages" count={messages.length} empty="No messages are queued for the next superstep.">
        <ul className="space-y-3">
          {messages.map((message, index) => (
            <li key={index} className="space-y-2">
              <p className="text-sm">
                {String(message.type)}: {String(message.sourceId)} <span aria-hidden="true">→</span>
                <span className="sr-only">to</span> {String(message.targetId)}
              </p>
              <JsonBlock value={message.value} label={`Queued message ${index + 1}`} />
            </li>
          ))}
        </ul>
      </Section>

      <Section title="Shared state" count={Object.keys(sharedState).length} empty="Nothing in shared state yet.">
        <JsonBlock value={sharedState} label="Shared state" />
      </Section>

      <Section
        title="Executor states"
        count={Object.keys(executorStates).length}
        empty="No executor has saved state yet."
      >
        <JsonBlock value={executorStates} label="Executor states" />
      </Section>
    </div>
  );
}

function Field({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{term}</dt>
      <dd className="mt-0.5 text-slate-900">{children}</dd>
    </div>
  );
}

function Section({
  title,
  count,
  empty,
  children,
}: {
  title: string;
  count: number;
  empty: string;
  children: ReactNode;
}) {
  return (
    <section>
      <h3 className="mb-2 text-sm font-semibold text-slate-900">
        {title} <span className="font-normal text-slate-600">({count})</span>
      </h3>
      {count === 0 ? <p className="text-sm text-slate-600">{empty}</p> : children}
    </section>
  );
}
