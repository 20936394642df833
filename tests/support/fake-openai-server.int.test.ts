import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import OpenAI, { AzureOpenAI } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "./fake-openai-server";

describe("fake OpenAI server", () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startFakeOpenAIServer({ apiKey: "sk-fake" });
  });
  afterAll(async () => {
    await server.close();
  });

  it("answers the SDK's non-streaming call with a chat.completion derived from the last user message", async () => {
    const client = new OpenAI({ apiKey: "sk-fake", baseURL: server.baseURL, maxRetries: 0 });

    const first = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Hello there" }],
    });
    const again = await client.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Hello there" }],
    });

    expect(first.object).toBe("chat.completion");
    expect(first.choices[0]?.finish_reason).toBe("stop");
    expect(first.choices[0]?.message.content).toMatch(/^Fake model reply [0-9a-f]{8}: Hello there$/);
    expect(again.choices[0]?.message.content).toBe(first.choices[0]?.message.content);
    expect(server.requests.at(-1)).toMatchObject({
      method: "POST",
      path: "/v1/chat/completions",
      api: "openai",
      stream: false,
    });
  });

  it("answers Azure's deployment route and checks the key", async () => {
    const good = new AzureOpenAI({
      apiKey: "sk-fake",
      endpoint: server.url,
      deployment: "dep",
      apiVersion: "2024-10-21",
      maxRetries: 0,
    });
    const bad = new AzureOpenAI({
      apiKey: "wrong",
      endpoint: server.url,
      deployment: "dep",
      apiVersion: "2024-10-21",
      maxRetries: 0,
    });

    const reply = await good.chat.completions.create({ model: "dep", messages: [{ role: "user", content: "Hi" }] });

    expect(reply.model).toBe("dep");
    expect(server.requests.at(-1)).toMatchObject({
      api: "azure",
      deployment: "dep",
      query: { "api-version": "2024-10-21" },
    });
    await expect(
      bad.chat.completions.create({ model: "dep", messages: [{ role: "user", content: "Hi" }] }),
    ).rejects.toMatchObject({ status: 401 });
  });

  it("streams scripted chunks in order, then finish_reason and [DONE]", async () => {
    server.respondWith({ kind: "reply", text: "ignored", chunks: ["Hel", "lo", "!"], chunkDelayMs: 5 });
    const client = new OpenAI({ apiKey: "sk-fake", baseURL: server.baseURL, maxRetries: 0 });

    const stream = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
    });
    const deltas: string[] = [];
    const finishes: Array<string | null> = [];
    for await (const chunk of stream) {
      deltas.push(chunk.choices[0]?.delta.content ?? "");
      finishes.push(chunk.choices[0]?.finish_reason ?? null);
    }

    expect(deltas.join("")).toBe("Hello!");
    expect(deltas.filter(Boolean)).toEqual(["Hel", "lo", "!"]);
    expect(finishes.at(-1)).toBe("stop");
  });
});

describe("fake OpenAI server as a process", () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.pid && child.exitCode === null) child.kill("SIGTERM");
  });

  it("prints its URL, serves chat completions and takes scripted responses over HTTP", async () => {
    const root = path.resolve(import.meta.dirname, "../..");
    child = spawn(
      path.join(root, "node_modules/.bin/tsx"),
      [path.join(root, "tests/support/fake-openai-server-main.ts")],
      {
        cwd: root,
        env: {
          ...process.env,
          PORT: "0",
          FAKE_OPENAI_FAIL_STATUS: "503",
          FAKE_OPENAI_FAIL_COUNT: "1",
          FAKE_OPENAI_RETRY_AFTER: "1",
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const stdout = child.stdout;
    if (!stdout) throw new Error("no stdout");
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: stdout });
      lines.on("line", (line) => {
        const match = /^listening (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
        if (match?.[1]) resolve(match[1]);
      });
      child?.once("exit", (code) => reject(new Error(`fake server exited with ${code}`)));
    });
    const client = new OpenAI({ apiKey: "k", baseURL: `${url}/v1`, maxRetries: 0 });
    const chat = () => client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "Ping" }] });

    await expect(chat()).rejects.toMatchObject({ status: 503 });
    expect((await chat()).choices[0]?.message.content).toMatch(/Ping$/);
    await fetch(`${url}/_fake/responses`, {
      method: "POST",
      body: JSON.stringify([{ kind: "reply", text: "Scripted." }]),
    });
    expect((await chat()).choices[0]?.message.content).toBe("Scripted.");
    const recorded = (await (await fetch(`${url}/_fake/requests`)).json()) as unknown[];
    expect(recorded).toHaveLength(3);

    const exited = new Promise<number | null>((resolve) => child?.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
