import { CardBody } from "@/components/ui/card";
import { SectionCard } from "@/components/ui/section-card";

/** "1st", "2nd", "3rd", "4th", …, "11th", "12th", "13th", "21st". */
export function ordinal(n: number): string {
  const lastTwo = n % 100;
  const suffix =
    lastTwo >= 11 && lastTwo <= 13 ? "th" : (({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th");
  return `${n}${suffix}`;
}

/** Where a queued run stands in the line for the model, in words. */
export function describeQueuePosition(position: number | null): string {
  if (position === null || position < 1) return "Queued — waiting for a model slot.";
  if (position === 1) return "Queued — next in line for the model.";
  return `Queued — ${ordinal(position)} in line for the model.`;
}

/**
 * A run waiting for one of the server's model slots: which draft it will write, and its place in line. It needs
 * nothing from anyone; the page keeps following it and switches to the live draft when the writer starts.
 */
export function QueuedRun({ draftNumber, queuePosition }: { draftNumber: number; queuePosition: number | null }) {
  return (
    <SectionCard title={`Waiting to write draft ${draftNumber}`}>
      <CardBody className="space-y-1">
        <p role="status" className="flex items-center gap-2 font-medium text-slate-900">
          <span aria-hidden="true" className="size-2 shrink-0 rounded-full bg-slate-400" />
          {describeQueuePosition(queuePosition)}
        </p>
        <p className="text-sm text-slate-700">
          The writer starts when a model slot frees up. Nothing to do meanwhile: this page updates by itself.
        </p>
      </CardBody>
    </SectionCard>
  );
}
