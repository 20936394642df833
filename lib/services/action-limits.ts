import { RateLimiterRes } from "rate-limiter-flexible";
import type { RateLimiter, Store } from "@/db/store";
import { ServiceError } from "./errors";

/** The actions that cost model calls or invite guessing, each limited per minute and per person (or address). */
export type LimitedAction = "submit" | "answer" | "resume" | "sign-in";

/** Per minute; 0 turns a limit off. Defaults a real team never meets and a script flooding the server does. */
export type ActionLimitConfig = Record<LimitedAction, number>;

export const DEFAULT_ACTION_LIMITS: ActionLimitConfig = { submit: 30, answer: 120, resume: 60, "sign-in": 10 };

const WHAT: Record<LimitedAction, string> = {
  submit: "briefs",
  answer: "answers",
  resume: "resumes",
  "sign-in": "sign-in attempts",
};

/**
 * Rate limits on costly and sensitive actions, counted in our database (rate-limiter-flexible's store on the
 * `rate_limits` table, SQLite or PostgreSQL as the store is), so they hold across restarts and across processes
 * on one database. Fixed one-minute windows per key.
 */
export class ActionLimits {
  private readonly limiters = new Map<LimitedAction, RateLimiter>();

  constructor(
    store: Pick<Store, "rateLimiter">,
    private readonly config: ActionLimitConfig = DEFAULT_ACTION_LIMITS,
  ) {
    for (const action of Object.keys(config) as LimitedAction[]) {
      if (config[action] <= 0) continue;
      this.limiters.set(action, store.rateLimiter({ keyPrefix: action, points: config[action], durationSeconds: 60 }));
    }
  }

  /**
   * Counts one `action` for `key` (a user id, an email, an address).
   * @throws ServiceError RATE_LIMITED (429) with `retryAfterSeconds` when the key used up its minute.
   */
  async consume(action: LimitedAction, key: string): Promise<void> {
    const limiter = this.limiters.get(action);
    if (!limiter) return;
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new ServiceError(
        "RATE_LIMITED",
        `Too many ${WHAT[action]}: at most ${this.config[action]} a minute. Try again in ${retryAfterSeconds} s.`,
        {
          details: { retryAfterSeconds, limit: this.config[action], action },
        },
      );
    }
  }
}
