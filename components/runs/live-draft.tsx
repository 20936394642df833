import { CardBody } from "@/components/ui/card";
import { SectionCard } from "@/components/ui/section-card";

export interface LiveProgress {
  superstep: number | null;
  executorId: string | null;
}

/** The draft as the writer streams it, with a one-line progress report above it. */
export function LiveDraft({
  draftNumber,
  isPublishing = false,
  title,
  liveText,
  progress,
  isStreaming,
}: {
  draftNumber: number;
  /** The draft was approved and is being published: nothing is written. */
  isPublishing?: boolean;
  /** What the run is doing, when it is neither writing nor publishing (applying an edit, closing a rejected run). */
  title?: string;
  liveText: string;
  progress: LiveProgress;
  isStreaming: boolean;
}) {
  const step = progress.superstep !== null ? `superstep ${progress.superstep}` : null;
  const executor = progress.executorId ? `${progress.executorId.replace(/_/g, " ")} working` : null;
  return (
    <SectionCard
      title={title ?? (isPublishing ? `Publishing draft ${draftNumber}` : `Writing draft ${draftNumber}`)}
      meta={
        <p role="status" className="flex items-center gap-2 text-sm text-slate-700">
          <span aria-hidden="true" className="size-2 animate-pulse rounded-full bg-sky-600" />
          {["In progress", step, executor].filter(Boolean).join(" · ")}
        </p>
      }
    >
      <CardBody>
        {liveText ? (
          <p className="whitespace-pre-wrap break-words leading-relaxed text-slate-900" aria-busy={isStreaming}>
            {liveText}
            {isStreaming ? (
              <span
                aria-hidden="true"
                className="ml-0.5 inline-block h-4 w-1.5 animate-pulse bg-slate-500 align-text-bottom"
              />
            ) : null}
          </p>
        ) : (
          <p className="text-sm text-slate-600">
            {isPublishing || title ? "Finishing up…" : "Waiting for the writer’s first words…"}
          </p>
        )}
      </CardBody>
    </SectionCard>
  );
}
