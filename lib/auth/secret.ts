import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * The secret that signs session cookies: BETTER_AUTH_SECRET when set; otherwise, for the embedded default, one
 * generated on first start and kept beside the database file (mode 0600), so `npm start` works on a fresh
 * machine and sessions survive a restart. Two processes starting at once agree on one (the file is created
 * exclusively). The secret itself is never logged.
 */
export function resolveAuthSecret(options: { configured: string | undefined; databaseFile: string }): string {
  if (options.configured) return options.configured;
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
