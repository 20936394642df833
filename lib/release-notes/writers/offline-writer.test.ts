import { describe, expect, it } from "vitest";
import { isChatClientError, type ChatMessage } from "@/lib/workflow";
import { draftPrompt, revisionPrompt, WRITER_INSTRUCTIONS } from "../prompts";
import { OFFLINE_CALLS_TO_ACTION, OfflineWriter, writeOfflineReply } from "./offline-writer";

const SAMPLE_BRIEF =
  "Introduce our limited edition smart coffee grinder. Mention the $249 price, highlight the sensor that auto-adjusts the grind, and invite customers to pre-order on the website.";

async function collect(
  writer: OfflineWriter,
  messages: ChatMessage[],
  signal?: AbortSignal,
): Promise<{ text: string; chunks: string[] }> {
  const chunks: string[] = [];
  for await (const chunk of writer.streamChat({
    instructions: WRITER_INSTRUCTIONS,
    messages,
    ...(signal ? { signal } : {}),
  }))
    chunks.push(chunk);
  return { text: chunks.join(""), chunks };
}

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?…])\s+(?=\S)/);
}

/** One conversation round as the agent executor keeps it: user prompt, then the writer's reply. */
function firstDraft(brief: string): { messages: ChatMessage[]; draft: string } {
  const messages: ChatMessage[] = [{ role: "user", text: draftPrompt(brief) }];
  const draft = writeOfflineReply(messages);
  return { messages: [...messages, { role: "assistant", text: draft }], draft };
}

describe("OfflineWriter", () => {
  it("says it is an offline writer, not a model", () => {
    expect(new OfflineWriter().info).toEqual({
      provider: "offline",
      model: "offline-writer",
      label: "Offline writer — deterministic, no model",
      isModel: false,
    });
  });

  it("drafts two sentences from the brief and ends with a call to action taken from it", async () => {
    const { text } = await collect(new OfflineWriter(), [{ role: "user", text: draftPrompt(SAMPLE_BRIEF) }]);

    expect(text).toBe(
      "Introducing our limited edition smart coffee grinder, with the $249 price and the sensor that auto-adjusts the grind. Pre-order on the website today!",
    );
    expect(sentences(text)).toHaveLength(2);
  });

  it("ends a brief without an invitation with a stock call to action", async () => {
    const { text } = await collect(new OfflineWriter(), [
      { role: "user", text: draftPrompt("Dark mode is now available in the mobile app, plus faster sync.") },
    ]);

    const parts = sentences(text);
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe("Here's what's new: Dark mode is now available in the mobile app, plus faster sync.");
    expect(OFFLINE_CALLS_TO_ACTION).toContain(parts[1]);
  });

  it("gives the same text for the same conversation, and different text for a different brief", async () => {
    const messages: ChatMessage[] = [{ role: "user", text: draftPrompt("Exports now include charts.") }];
    const first = await collect(new OfflineWriter(), messages);
    const second = await collect(new OfflineWriter(), messages);
    const other = await collect(new OfflineWriter(), [{ role: "user", text: draftPrompt("Search is twice as fast.") }]);

    expect(second.text).toBe(first.text);
    expect(second.chunks).toEqual(first.chunks);
    expect(other.text).not.toBe(first.text);
  });

  it("streams word-sized chunks that add up to the reply", async () => {
    const { text, chunks } = await collect(new OfflineWriter(), [{ role: "user", text: draftPrompt(SAMPLE_BRIEF) }]);

    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.join("")).toBe(text);
    for (const chunk of chunks) expect(chunk.trim().split(/\s+/)).toHaveLength(1);
  });

  it("keeps HTML and script in a brief as plain text", async () => {
    const brief = `<script>alert("x")</script> Reports now render <b>bold</b> & <img src=x onerror=alert(1)> tags.`;
    const { text } = await collect(new OfflineWriter(), [{ role: "user", text: draftPrompt(brief) }]);

    expect(text).toContain(
      `<script>alert("x")</script> Reports now render <b>bold</b> & <img src=x onerror=alert(1)> tags`,
    );
  });

  it("treats regex and template characters in guidance as literal text", () => {
    const { messages, draft } = firstDraft("Search is faster.");
    const revised = writeOfflineReply([
      ...messages,
      { role: "user", text: revisionPrompt(draft, "Mention (.*) ${price} $& [a-z]+") },
    ]);

    expect(revised).toContain("plus (.*) ${price} $& [a-z]+");
  });

  describe("revisions", () => {
    it("tightens the copy and emphasizes the benefit for the workflow's default guidance", () => {
      const { messages, draft } = firstDraft(SAMPLE_BRIEF);
      const revised = writeOfflineReply([
        ...messages,
        { role: "user", text: revisionPrompt(draft, "Tighten the copy and emphasize customer benefit.") },
      ]);

      expect(revised).toBe(
        "Spotlight on customer benefit: Introducing our limited edition smart coffee grinder. Pre-order on the website today!",
      );
      expect(sentences(revised)).toHaveLength(2);
    });

    it("shortens the draft when asked for shorter copy", () => {
      const { messages, draft } = firstDraft(
        "Dark mode is now available in the mobile app, plus faster sync, calmer colors and a new icon set for every screen.",
      );
      const revised = writeOfflineReply([
        ...messages,
        { role: "user", text: revisionPrompt(draft, "Make it shorter") },
      ]);

      expect(revised.length).toBeLessThan(draft.length * 0.8);
      expect(sentences(revised)).toHaveLength(2);
      expect(revised).toMatch(/!$/);
    });

    it("weaves in a phrase the reviewer asks to mention", () => {
      const { messages, draft } = firstDraft(SAMPLE_BRIEF);
      const revised = writeOfflineReply([
        ...messages,
        { role: "user", text: revisionPrompt(draft, 'Also mention "free shipping through May".') },
      ]);

      expect(draft).not.toContain("free shipping through May");
      expect(revised).toBe(
        "Introducing our limited edition smart coffee grinder, with the $249 price and the sensor that auto-adjusts the grind, plus free shipping through May. Pre-order on the website today!",
      );
    });

    it("removes and replaces phrases on request", () => {
      const { messages, draft } = firstDraft(SAMPLE_BRIEF);
      const revised = writeOfflineReply([
        ...messages,
        { role: "user", text: revisionPrompt(draft, "Remove the $249 price and replace website with app.") },
      ]);

      expect(revised).toBe(
        "Introducing our limited edition smart coffee grinder, with the sensor that auto-adjusts the grind. Pre-order on the app today!",
      );
    });

    it("changes the call to action and the tone when asked", () => {
      const { messages, draft } = firstDraft(SAMPLE_BRIEF);
      const invite = writeOfflineReply([
        ...messages,
        { role: "user", text: revisionPrompt(draft, "Invite readers to join the waitlist") },
      ]);
      const formal = writeOfflineReply([
        ...messages,
        { role: "user", text: revisionPrompt(draft, "Make it more formal") },
      ]);

      expect(sentences(invite)[1]).toBe("Join the waitlist today!");
      expect(formal).not.toContain("!");
      expect(sentences(formal)[1]).toBe("Pre-order on the website today.");
    });

    it("quotes guidance it cannot interpret, so the reviewer sees it was applied", () => {
      const { messages, draft } = firstDraft(SAMPLE_BRIEF);
      const revised = writeOfflineReply([
        ...messages,
        { role: "user", text: revisionPrompt(draft, "Make it about the iOS users") },
      ]);

      expect(revised).toContain("(revised per review: Make it about the iOS users)");
      expect(revised).toMatch(/Pre-order on the website today!$/);
    });

    it("builds on the previous draft across rounds without stacking notes", () => {
      const { messages, draft } = firstDraft(SAMPLE_BRIEF);
      const round2 = writeOfflineReply([
        ...messages,
        { role: "user", text: revisionPrompt(draft, "Make it about the iOS users") },
      ]);
      const round3 = writeOfflineReply([
        ...messages,
        { role: "user", text: revisionPrompt(draft, "Make it about the iOS users") },
        { role: "assistant", text: round2 },
        { role: "user", text: revisionPrompt(round2, "Emphasize the price") },
      ]);

      expect(round3).toBe(
        "Spotlight on the price: Introducing our limited edition smart coffee grinder, with the $249 price and the sensor that auto-adjusts the grind. Pre-order on the website today!",
      );
    });
  });

  // Punctuation runs that stop short of the end are what made the old trailing-punctuation regex quadratic.
  // These tests pin the output for such input; linear time is guarded by regexp/no-super-linear-* in lint.
  describe("long punctuation runs", () => {
    const PUNCTUATION_RUN = `${".!".repeat(9_999)}go`;

    it("drafts from a 20,000-character brief of repeated '.!' as one restated sentence and a call to action", () => {
      expect(PUNCTUATION_RUN).toHaveLength(20_000);
      const draft = writeOfflineReply([{ role: "user", text: draftPrompt(PUNCTUATION_RUN) }]);

      const [body, ...rest] = draft.split(`${PUNCTUATION_RUN}. `);
      expect(body).toBe("Here's what's new: ");
      expect(OFFLINE_CALLS_TO_ACTION).toContain(rest.join(""));
    });

    it("answers a brief that is nothing but '.!' with the stock note", () => {
      const draft = writeOfflineReply([{ role: "user", text: draftPrompt(".!".repeat(10_000)) }]);

      expect(sentences(draft)[0]).toBe("This release brings a fresh round of improvements.");
      expect(OFFLINE_CALLS_TO_ACTION).toContain(sentences(draft)[1]);
    });

    it("quotes the first 200 characters of a 20,000-character guidance it cannot interpret", () => {
      const { messages, draft } = firstDraft(SAMPLE_BRIEF);
      const revised = writeOfflineReply([...messages, { role: "user", text: revisionPrompt(draft, PUNCTUATION_RUN) }]);

      expect(revised).toBe(
        "Introducing our limited edition smart coffee grinder, with the $249 price and the sensor that auto-adjusts the grind " +
          `(revised per review: ${PUNCTUATION_RUN.slice(0, 199)}…). Pre-order on the website today!`,
      );
    });

    it("tightens a 20,000-character draft of short clauses to about 60% of its words", () => {
      const longDraft = `${Array.from({ length: 2_000 }, (_, i) => `item ${i}`).join(", ")}. Try it today!`;
      const revised = writeOfflineReply([{ role: "user", text: revisionPrompt(longDraft, "Make it shorter") }]);

      expect(revised).toMatch(/^item 0, item 1, /);
      expect(revised).toMatch(/, item 1199… Try it today!$/);
    });
  });

  it("can be slowed down per chunk and stops when aborted", async () => {
    const writer = new OfflineWriter({ delayMs: 20 });
    const controller = new AbortController();
    const chunks: string[] = [];
    const reading = (async () => {
      for await (const chunk of writer.streamChat({
        messages: [{ role: "user", text: draftPrompt(SAMPLE_BRIEF) }],
        signal: controller.signal,
      })) {
        chunks.push(chunk);
        if (chunks.length === 2) controller.abort();
      }
    })();

    await expect(reading).rejects.toMatchObject({ name: "AbortError" });
    expect(chunks).toHaveLength(2);
  });

  it("refuses a conversation without a user message, as a final error", () => {
    try {
      writeOfflineReply([{ role: "assistant", text: "Hello" }]);
      expect.unreachable();
    } catch (error) {
      expect(isChatClientError(error) && !error.transient).toBe(true);
    }
  });
});
