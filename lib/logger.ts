import pino from "pino";
import { getEnv } from "@/lib/env";

/** The app's one logger: JSON lines to stdout, level from LOG_LEVEL. Use `logger.child({ runId })` for context. */
export const logger = pino({ name: "draftgate", level: getEnv().LOG_LEVEL });
