import type { Person } from "@/lib/services";
import { CliError } from "./cli-errors";
import type { CliContext, CommandResult } from "./context";
import { ExitCode } from "./exit-codes";

/**
 * The admin commands scripts and operators need (`user add|list|set-role|deactivate|reactivate`,
 * `token create`). They act as the CLI's actor (the local operator unless `--as` names someone), and the
 * people use cases check that actor's role like any other caller.
 */

export async function addUserCommand(
  ctx: CliContext,
  email: string,
  options: { role: string; name?: string; password?: string },
): Promise<CommandResult> {
  const person = await ctx.service.people.addPerson(ctx.actor, {
    email,
    role: options.role,
    ...(options.name ? { name: options.name } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
  });
  ctx.out.line(
    `Added ${describe(person)}.${options.password === undefined ? " No password: they sign in with company sign-in, or you invite them from the People page." : ""}`,
  );
  return done("user add", { person });
}

export async function listUsersCommand(ctx: CliContext): Promise<CommandResult> {
  const people = await ctx.service.people.listPeople(ctx.actor);
  if (people.length === 0)
    ctx.out.line("Nobody yet. Open the dashboard to create the first admin, or run `user add <email> --role admin`.");
  for (const person of people)
    ctx.out.line(
      `- ${describe(person)}${person.isActive ? "" : " (deactivated)"} | signs in with ${person.signInMethods.join(", ") || "nothing yet"}`,
    );
  return done("user list", { people });
}

export async function setRoleCommand(ctx: CliContext, email: string, role: string): Promise<CommandResult> {
  const { userId } = await requirePerson(ctx, email);
  const person = await ctx.service.people.setRole(ctx.actor, { userId, role });
  ctx.out.line(`${describe(person)} now.`);
  return done("user set-role", { person });
}

export async function setActiveCommand(ctx: CliContext, email: string, isActive: boolean): Promise<CommandResult> {
  const { userId } = await requirePerson(ctx, email);
  const person = isActive
    ? await ctx.service.people.reactivate(ctx.actor, { userId })
    : await ctx.service.people.deactivate(ctx.actor, { userId });
  ctx.out.line(
    isActive
      ? `${describe(person)} can sign in again.`
      : `${describe(person)} is deactivated: their sessions and API keys stopped working; their past decisions stay in the audit trail.`,
  );
  return done(isActive ? "user reactivate" : "user deactivate", { person });
}

export async function createTokenCommand(ctx: CliContext, email: string, name: string): Promise<CommandResult> {
  const created = await ctx.service.people.createApiKey(ctx.actor, { name, forEmail: email });
  // the key goes to stdout alone on its line, so `$(npm run cli -- token create ...)`-style scripts can take it
  ctx.out.line(created.key);
  ctx.out.error(
    `API key "${created.name}" for ${email} created. It is shown once: store it now. Send it as \`Authorization: Bearer <key>\`.`,
  );
  return done("token create", { key: created });
}

/** The person with `email` (any state: the use case decides whether they may take part). @throws CliError NOT_FOUND */
export async function requirePerson(ctx: CliContext, email: string): Promise<Person> {
  const person = await ctx.service.people.findPersonByEmail(email);
  if (!person) throw new CliError("NOT_FOUND", `Nobody has the email ${email}; see \`user list\`.`);
  return person;
}

function describe(person: Person): string {
  return `${person.name} <${person.email}> (${person.role})`;
}

function done(command: string, fields: Record<string, unknown>): CommandResult {
  return { exitCode: ExitCode.done, document: { ok: true, command, ...fields } };
}
