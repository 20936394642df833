let last = 0;

/** ISO time that strictly increases within the process, so checkpoints written in one millisecond still sort. */
export function isoNow(): string {
  last = Math.max(Date.now(), last + 1);
  return new Date(last).toISOString();
}
