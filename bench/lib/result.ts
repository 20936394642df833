/** The shape every measure reports, so the table and the document are built from one list. */
export interface BenchRow {
  /** Stable key, e.g. "engine-round". */
  id: string;
  measure: string;
  reference: string;
  target: string;
  measured: string;
  floor: string;
  /** measured / floor, when both are numbers of the same unit. */
  ratio: number | null;
  /** Whether the target is met; null for an informational row without a target of its own. */
  met: boolean | null;
  /** Free-form numbers kept in results JSON (medians, percentiles, breakdowns). */
  details?: Record<string, unknown>;
}

export function formatRatio(ratio: number | null): string {
  return ratio === null || !Number.isFinite(ratio) ? "—" : `${ratio.toFixed(ratio < 10 ? 2 : 1)}x`;
}
