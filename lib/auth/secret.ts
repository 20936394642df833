import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * The secret that signs session cookies: BETTER_AUTH_SECRET when set; otherwise, for the embedded default, one
 * generated on first start and kept beside the database file (mode 0600), so `npm start` works on a fresh
 * machine and sessions survive a restart. Two processes starting at once agree on one (the file is created
 * exclusively). The secret itself is never logged.
 */
export function resolveAuthSecret(options: {
  configured: string | undefined;
  databaseFile: string;
  /** PostgreSQL (DATABASE_URL): several web instances, which must all sign with the one configured secret. */
  isSharedDatabase?: boolean;
}): string {
  if (options.configured) return options.configured;
  if (options.isSharedDatabase)
    throw new Error(
      "Set BETTER_AUTH_SECRET (32 characters or more, the same on every web instance) when DATABASE_URL is set: a secret generated per instance would sign sessions the other instances refuse.",
    );
  if (options.databaseFile === ":memory:") return randomBytes(32).toString("base64url");
  const file = authSecretFile(options.databaseFile);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const secret = fs.readFileSync(file, "utf8").trim();
  if (secret.length < 32)
    throw new Error(
      `${file} holds no usable secret; delete it to have a new one made (everyone will have to sign in again)`,
    );
  return secret;
}

/** Where the generated secret lives: `.auth-secret` in the database file's folder. */
export function authSecretFile(databaseFile: string): string {
  return path.join(path.dirname(databaseFile), ".auth-secret");
}
