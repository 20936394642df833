/**
 * What the CLI's exit status means, so scripts can branch on it without parsing text:
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | done: the run is published or rejected (or already was: nothing to resume), or a command printed what it did |
 * | 1 | error: the run failed (e.g. MODEL_ERROR), the environment is invalid, or something unexpected broke |
 * | 2 | awaiting input: the run is paused for review and the CLI stopped (`exit`, end of input, `--no-input`), or the reviewer's approval was recorded and the draft waits for other reviewers' |
 * | 3 | refused: invalid input or arguments, an unknown run/checkpoint/request, an answer that lost a race |
 * | 130 | interrupted by Ctrl-C (SIGINT); the last checkpoint is kept |
 */
export const ExitCode = {
  done: 0,
  error: 1,
  awaitingInput: 2,
  refused: 3,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
