import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatClientError } from "@/lib/workflow";
import { ScriptedChatClient } from "@/lib/workflow/testing";
import { actorFor } from "@/tests/support/actors";
import { openTestStore } from "@/tests/support/service-harness";
import { makeTempDir } from "@/tests/support/temp-database";
import type { Actor, Role } from "./actor";
import { DraftgateService } from "./draftgate-service";
import { NotificationService } from "./notifications/notification-service";
import { PeopleService } from "./people-service";

// Every use case x role, with the expected outcome. A use case added to DraftgateService, PeopleService or NotificationService
// without a row here fails the last test, so a new entry point cannot skip its authorization check.

const temp = makeTempDir();
let service: DraftgateService;
let dropDatabase: () => Promise<void> = async () => {};
const people: Record<Role, Actor> = {
  author: actorFor("author", "Pat"),
  reviewer: actorFor("reviewer", "Rita"),
  admin: actorFor("admin", "Ada"),
};
const otherAuthor = actorFor("author", "Olga");

/** A reviewer with an account, to assign to runs. */
let assignable: string;

beforeAll(async () => {
  const writer = new ScriptedChatClient((messages) =>
    messages.some((message) => message.text.includes("FAIL"))
      ? new ChatClientError("HTTP 400: refused", { transient: false, status: 400 })
      : "A draft. Pre-order today!",
  );
  const { store, drop } = await openTestStore(temp.file("authz.db"));
  dropDatabase = drop;
  service = new DraftgateService({ store, chatClient: writer });
  assignable = (
    await service.people.addPerson(people.admin, { email: "rhea@example.com", name: "Rhea", role: "reviewer" })
  ).userId;
});
afterAll(async () => {
  await service.close();
  await dropDatabase();
  temp.cleanup();
});

/** A run submitted by Pat (an author), paused for review. */
async function pausedRun(submitter: Actor = people.author) {
  const { runId } = await service.submitBrief(submitter, { brief: "Dark mode arrives in the dashboard." });
  await service.waitForIdle(runId);
  const run = await service.getRun(people.admin, runId);
  return { runId, request: run.pendingRequests[0]! };
}

async function completedRun() {
  const { runId, request } = await pausedRun();
  await service.answerRequest(people.reviewer, { runId, requestId: request.requestId, response: "approve" });
  await service.waitForIdle(runId);
  return { runId, request };
}

async function failedRun(submitter: Actor = people.author) {
  const { runId } = await service.submitBrief(submitter, { brief: "FAIL: the writer refuses this one." });
  await service.waitForIdle(runId);
  return { runId };
}

type Outcome = "ok" | "FORBIDDEN" | "SELF_APPROVAL_FORBIDDEN" | "VALIDATION_FAILED";
interface Case {
  name: string;
  /** The method under test, as `Class.method` (checked against the classes' methods below). */
  covers: string[];
  run: (actor: Actor) => Promise<unknown>;
  expected: Record<Role, Outcome>;
}

const everyone: Record<Role, Outcome> = { author: "ok", reviewer: "ok", admin: "ok" };
const reviewers: Record<Role, Outcome> = { author: "FORBIDDEN", reviewer: "ok", admin: "ok" };
const admins: Record<Role, Outcome> = { author: "FORBIDDEN", reviewer: "FORBIDDEN", admin: "ok" };

const cases: Case[] = [
  {
    name: "read runs, the inbox, a run, its checkpoints and one checkpoint",
    covers: [
      "DraftgateService.listRuns",
      "DraftgateService.listInbox",
      "DraftgateService.countAwaitingReview",
      "DraftgateService.hasRun",
      "DraftgateService.getRun",
      "DraftgateService.listCheckpoints",
      "DraftgateService.getCheckpoint",
      "DraftgateService.liveText",
      "DraftgateService.subscribe",
    ],
    run: async (actor) => {
      const { runId, request } = await pausedRun();
      await service.listRuns(actor);
      await service.listInbox(actor);
      await service.countAwaitingReview(actor);
      await service.hasRun(actor, runId);
      await service.getRun(actor, runId);
      await service.listCheckpoints(actor, runId);
      await service.getCheckpoint(actor, request.checkpointId);
      service.liveText(actor, runId);
      service.subscribe(actor, runId, () => {})();
    },
    expected: everyone,
  },
  {
    name: "submit a brief",
    covers: ["DraftgateService.submitBrief"],
    run: (actor) => service.submitBrief(actor, { brief: "A brief." }),
    expected: everyone,
  },
  {
    name: "send a draft back with guidance",
    covers: ["DraftgateService.answerRequest"],
    run: async (actor) => {
      const { runId, request } = await pausedRun();
      await service.answerRequest(actor, { runId, requestId: request.requestId, response: "Shorter." });
    },
    expected: reviewers,
  },
  {
    name: "approve a draft of someone else's brief",
    covers: ["DraftgateService.answerRequest"],
    run: async (actor) => {
      const { runId, request } = await pausedRun(otherAuthor);
      await service.answerRequest(actor, { runId, requestId: request.requestId, response: "approve" });
    },
    expected: reviewers,
  },
  {
    name: "approve a draft of one's own brief (self-approval is off)",
    covers: ["DraftgateService.answerRequest"],
    run: async (actor) => {
      const { runId, request } = await pausedRun(actor);
      await service.answerRequest(actor, { runId, requestId: request.requestId, response: "approve" });
    },
    expected: { author: "FORBIDDEN", reviewer: "SELF_APPROVAL_FORBIDDEN", admin: "SELF_APPROVAL_FORBIDDEN" },
  },
  {
    name: "answer from the newest checkpoint through resume",
    covers: ["DraftgateService.resumeFromCheckpoint"],
    run: async (actor) => {
      const { request } = await pausedRun();
      await service.resumeFromCheckpoint(actor, {
        checkpointId: request.checkpointId,
        responses: { [request.requestId]: "Mention the price." },
      });
    },
    expected: reviewers,
  },
  {
    name: "resume from an older checkpoint (a branch)",
    covers: ["DraftgateService.resumeFromCheckpoint"],
    run: async (actor) => {
      const { runId, request } = await pausedRun();
      await service.answerRequest(people.reviewer, {
        runId,
        requestId: request.requestId,
        response: "Mention the price.",
      });
      await service.waitForIdle(runId);
      await service.resumeFromCheckpoint(actor, {
        checkpointId: request.checkpointId,
        responses: { [request.requestId]: "Mention the colour." },
        branch: true,
      });
    },
    expected: admins,
  },
  {
    name: "re-open a completed run with a reason",
    covers: ["DraftgateService.resumeFromCheckpoint"],
    run: async (actor) => {
      const { request } = await completedRun();
      await service.resumeFromCheckpoint(actor, {
        checkpointId: request.checkpointId,
        responses: { [request.requestId]: "Fix the typo." },
        branch: true,
        reason: "A typo.",
      });
    },
    expected: admins,
  },
  {
    name: "re-open a completed run without a reason",
    covers: ["DraftgateService.resumeFromCheckpoint"],
    run: async (actor) => {
      const { request } = await completedRun();
      await service.resumeFromCheckpoint(actor, {
        checkpointId: request.checkpointId,
        responses: { [request.requestId]: "Fix the typo." },
        branch: true,
      });
    },
    expected: { author: "FORBIDDEN", reviewer: "FORBIDDEN", admin: "VALIDATION_FAILED" },
  },
  {
    name: "retry one's own failed run",
    covers: ["DraftgateService.retryRun"],
    run: async (actor) => service.retryRun(actor, (await failedRun(actor)).runId),
    expected: everyone,
  },
  {
    name: "retry someone else's failed run",
    covers: ["DraftgateService.retryRun"],
    run: async (actor) => service.retryRun(actor, (await failedRun(otherAuthor)).runId),
    expected: admins,
  },
  {
    name: "see people and open invitations",
    covers: ["PeopleService.listPeople", "PeopleService.listInvitations"],
    run: async (actor) => {
      await service.people.listPeople(actor);
      await service.people.listInvitations(actor);
    },
    expected: admins,
  },
  {
    name: "invite someone and revoke the invitation",
    covers: ["PeopleService.invite", "PeopleService.revokeInvitation"],
    run: async (actor) => {
      const invitation = await service.people.invite(actor, {
        email: `invitee-${Math.random()}@example.com`,
        role: "reviewer",
      });
      await service.people.revokeInvitation(actor, { invitationId: invitation.invitationId });
    },
    expected: admins,
  },
  {
    name: "add a person, change their role, deactivate and reactivate them",
    covers: [
      "PeopleService.addPerson",
      "PeopleService.setRole",
      "PeopleService.deactivate",
      "PeopleService.reactivate",
    ],
    run: async (actor) => {
      const person = await service.people.addPerson(actor, {
        email: `added-${Math.random()}@example.com`,
        role: "author",
      });
      await service.people.setRole(actor, { userId: person.userId, role: "reviewer" });
      await service.people.deactivate(actor, { userId: person.userId });
      await service.people.reactivate(actor, { userId: person.userId });
    },
    expected: admins,
  },
  {
    name: "change workspace settings",
    covers: ["PeopleService.updateSettings"],
    run: async (actor) => service.people.updateSettings(actor, { allowSignUp: false }),
    expected: admins,
  },
  {
    name: "edit and approve a draft of someone else's brief",
    covers: ["DraftgateService.answerRequest"],
    run: async (actor) => {
      const { runId, request } = await pausedRun(otherAuthor);
      await service.answerRequest(actor, {
        runId,
        requestId: request.requestId,
        response: { decision: "edit", text: "Dark mode, edited." },
      });
    },
    expected: reviewers,
  },
  {
    name: "reject a draft with a reason",
    covers: ["DraftgateService.answerRequest"],
    run: async (actor) => {
      const { runId, request } = await pausedRun(otherAuthor);
      await service.answerRequest(actor, {
        runId,
        requestId: request.requestId,
        response: { decision: "reject", reason: "Not shipping." },
      });
    },
    expected: reviewers,
  },
  {
    name: "read the approval policy",
    covers: ["DraftgateService.getReviewPolicy"],
    run: async (actor) => service.getReviewPolicy(actor),
    expected: everyone,
  },
  {
    name: "change the approval policy",
    covers: ["DraftgateService.updateReviewPolicy"],
    run: async (actor) => service.updateReviewPolicy(actor, { requiredApprovals: 1 }),
    expected: admins,
  },
  {
    name: "see who can review, assign a reviewer to a run and take them off",
    covers: ["PeopleService.listReviewers", "DraftgateService.assignReviewer", "DraftgateService.unassignReviewer"],
    run: async (actor) => {
      const { runId } = await pausedRun();
      await service.people.listReviewers(actor);
      await service.assignReviewer(actor, { runId, userId: assignable });
      await service.unassignReviewer(actor, { runId, userId: assignable });
    },
    expected: reviewers,
  },
  {
    name: "choose one's own notifications",
    covers: ["NotificationService.getMyPreferences", "NotificationService.updateMyPreferences"],
    run: async (actor) => {
      await service.notifications.getMyPreferences(actor);
      await service.notifications.updateMyPreferences(actor, [{ kind: "review.reminder", email: false }]);
    },
    expected: everyone,
  },
  {
    name: "see and change the workspace's notification channels",
    covers: [
      "NotificationService.getChannels",
      "NotificationService.setSlackWebhook",
      "NotificationService.addWebhookEndpoint",
      "NotificationService.removeWebhookEndpoint",
    ],
    run: async (actor) => {
      await service.notifications.getChannels(actor);
      await service.notifications.setSlackWebhook(actor, { url: null });
      const endpoint = await service.notifications.addWebhookEndpoint(actor, {
        url: "https://hooks.example.com/draftgate",
        kinds: ["run.failed"],
      });
      await service.notifications.removeWebhookEndpoint(actor, endpoint.id);
    },
    expected: admins,
  },
  {
    name: "fire due timers and send due notifications now (a shell without a server)",
    covers: ["DraftgateService.fireDueTimers", "NotificationService.dispatchDue"],
    run: async (actor) => {
      await service.fireDueTimers(actor);
      await service.notifications.dispatchDue(actor);
    },
    expected: admins,
  },
  {
    name: "send a test event, list deliveries and retry one",
    covers: [
      "NotificationService.sendTestEvent",
      "NotificationService.listDeliveries",
      "NotificationService.retryDelivery",
    ],
    run: async (actor) => {
      const endpoint = await service.notifications.addWebhookEndpoint(people.admin, {
        url: "http://127.0.0.1:9/unreachable",
        kinds: ["run.failed"],
      });
      try {
        const delivery = await service.notifications.sendTestEvent(actor, endpoint.id);
        await service.notifications.listDeliveries(actor);
        await service.notifications.retryDelivery(actor, delivery.id);
      } finally {
        await service.notifications.removeWebhookEndpoint(people.admin, endpoint.id);
      }
    },
    expected: admins,
  },
];

/** The use cases that take no acting person, and why. */
const withoutActor: Record<string, string> = {
  "DraftgateService.recoverRuns": "the process itself resumes runs whose process died",
  "DraftgateService.waitForIdle": "test and CLI plumbing: waits for this process's execution",
  "DraftgateService.close": "shutdown",
  "DraftgateService.runsByStatus": "counts for the telemetry gauge, read by the process itself",
  "DraftgateService.readiness": "the readiness probe: database reachable and migrated, nothing else",
  "PeopleService.needsSetup": "the setup page asks it before anyone exists",
  "PeopleService.setUp": "creates the first admin, once, before anyone exists",
  "PeopleService.describeInvitation": "the invitation link is the credential",
  "PeopleService.acceptInvitation": "the invitation link is the credential",
  "PeopleService.signUp": "only while an admin allows open sign-up",
  "PeopleService.findPersonByEmail": "the CLI's lookup behind `user` commands, which then act with an actor",
  "PeopleService.findActivePerson": "a lookup for use cases that checked their actor already (assigning a reviewer)",
  "PeopleService.actorForUser": "resolves who a session belongs to",
  "PeopleService.actorForApiKey": "resolves who an API key belongs to",
  "PeopleService.actorForCli": "resolves the CLI's actor",
  "PeopleService.isActive": "asked by sign-in before a session is created",
  "PeopleService.noteSignInAttempt": "counts sign-in attempts before anyone is signed in",
  "PeopleService.setRoleFromIdentityProvider": "company sign-in maps groups to a role",
  "PeopleService.getSettings": "read by sign-in pages and by the rules themselves",
  "PeopleService.createApiKey": "every role, for themselves (tested below)",
  "PeopleService.listApiKeys": "every role, their own (tested below)",
  "PeopleService.revokeApiKey": "every role, their own (tested below)",
  "NotificationService.close": "shutdown",
};

async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome | string> {
  try {
    await run();
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe("authorization of every use case", () => {
  for (const testCase of cases) {
    for (const role of ["author", "reviewer", "admin"] as const) {
      it(`${testCase.name}: ${role} → ${testCase.expected[role]}`, async () => {
        expect(await outcomeOf(() => testCase.run(people[role]))).toBe(testCase.expected[role]);
      });
    }
  }

  it("lets self-approval through once an admin allows it", async () => {
    await service.people.updateSettings(people.admin, { allowSelfApproval: true });
    try {
      const { runId, request } = await pausedRun(people.reviewer);
      expect(
        await outcomeOf(() =>
          service.answerRequest(people.reviewer, { runId, requestId: request.requestId, response: "approve" }),
        ),
      ).toBe("ok");
    } finally {
      await service.people.updateSettings(people.admin, { allowSelfApproval: false });
    }
  });

  it("covers every public method of the use-case classes", () => {
    const methodsOf = (prototype: object, name: string) =>
      Object.getOwnPropertyNames(prototype)
        .filter(
          (method) =>
            method !== "constructor" && typeof Object.getOwnPropertyDescriptor(prototype, method)?.value === "function",
        )
        .map((method) => `${name}.${method}`);
    const declared = [
      ...methodsOf(DraftgateService.prototype, "DraftgateService"),
      ...methodsOf(PeopleService.prototype, "PeopleService"),
      ...methodsOf(NotificationService.prototype, "NotificationService"),
    ];
    // TypeScript's `private` methods are on the prototype too; they are named here so that nothing else hides
    const privateHelpers = new Set([
      ...[
        "createWorkflow",
        "continueFromNewest",
        "permissionsOn",
        "requireMayRetry",
        "requireMayApprove",
        "decide",
        "assigneesOf",
        "expireRequest",
        "escalationGroup",
        "isSelfApproval",
        "requireRun",
        "withRunLock",
        "newestCheckpoint",
        "refuseAnsweredRequests",
        "requireRevisionAllowed",
        "consumeLimit",
        "explainUnanswerable",
      ].map((method) => `DraftgateService.${method}`),
      ...["personOf"].map((method) => `NotificationService.${method}`),
      ...[
        "requireUser",
        "requirePerson",
        "requireSignedInUser",
        "keyOwnerFor",
        "requireFreeEmail",
        "requireAnotherAdmin",
        "isActiveUser",
      ].map((method) => `PeopleService.${method}`),
    ]);
    const covered = new Set([
      ...cases.flatMap((testCase) => testCase.covers),
      ...Object.keys(withoutActor),
      ...privateHelpers,
    ]);
    const uncovered = declared.filter((method) => !covered.has(method));
    expect(uncovered).toEqual([]);
  });
});
