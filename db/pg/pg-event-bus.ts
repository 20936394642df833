import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * Messages between processes over PostgreSQL's LISTEN/NOTIFY: what lets a worker's live run events (streamed tokens,
 * status changes) reach browsers connected to any web instance. A message is text of any length: NOTIFY carries at
 * most 8,000 bytes, so longer ones travel as chunks, all sent in one transaction (delivered together, in order, or
 * not at all) and put back together by each listener.
 *
 * Delivery is at most once and only to listeners connected at the time: after a lost connection a listener is told
 * (the `onGap` of `subscribe`) so that its subscribers catch up from the database, as after any reconnect.
 */
export interface PgEventBusOptions {
  /** A channel name (letters, digits, underscores): every bus on one channel hears every other. */
  channel?: string;
  /** Told of connection errors (the bus retries by itself). */
  onError?: (error: unknown) => void;
  /** Milliseconds between reconnection attempts of the listener. */
  reconnectMs?: number;
}

/** NOTIFY's limit is 8,000 bytes; the chunk header and some slack stay below it. */
export const NOTIFY_CHUNK_BYTES = 7_900;

const DEFAULT_CHANNEL = "draftgate_events";

export class PgEventBus {
  private readonly channel: string;
  private readonly listeners = new Set<(message: string) => void>();
  private readonly gapListeners = new Set<() => void>();
  private readonly partial = new Map<string, { parts: string[]; received: number }>();
  private listener: pg.Client | undefined;
  private publisher: pg.Client | undefined;
  /** Publishing is serialized on one connection: NOTIFYs from one session arrive in the order they were sent. */
  private publishing: Promise<unknown> = Promise.resolve();
  private closed = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    private readonly url: string,
    private readonly options: PgEventBusOptions,
  ) {
    this.channel = options.channel ?? DEFAULT_CHANNEL;
    if (!/^[a-z_][a-z0-9_]*$/.test(this.channel)) throw new Error(`Not a channel name: ${this.channel}`);
  }

  /** Connects, starts listening and resolves once messages sent from now on are heard. */
  static async connect(url: string, options: PgEventBusOptions = {}): Promise<PgEventBus> {
    const bus = new PgEventBus(url, options);
    await bus.listen();
    return bus;
  }

  /**
   * Starts listening in the background, for a process whose setup is synchronous: messages sent before the
   * listener is connected are not heard (as on any reconnect), and a failed first attempt is retried.
   */
  static start(url: string, options: PgEventBusOptions = {}): PgEventBus {
    const bus = new PgEventBus(url, options);
    bus.listen().catch((error: unknown) => {
      options.onError?.(error);
      if (!bus.closed) bus.scheduleReconnect();
    });
    return bus;
  }

  /** Sends `message` to every bus listening on the channel (this one included); resolves once it is committed. */
  publish(message: string): Promise<void> {
    const chunks = chunkMessage(randomBytes(6).toString("base64url"), message);
    const send = this.publishing.then(async () => {
      const client = await this.publisherClient();
      try {
        if (chunks.length === 1) {
          await client.query("select pg_notify($1, $2)", [this.channel, chunks[0]]);
          return;
        }
        await client.query("begin");
        try {
          for (const chunk of chunks) await client.query("select pg_notify($1, $2)", [this.channel, chunk]);
          await client.query("commit");
        } catch (error) {
          await client.query("rollback").catch(() => {});
          throw error;
        }
      } catch (error) {
        // a broken connection is replaced on the next publish
        this.publisher = undefined;
        await client.end().catch(() => {});
        throw error;
      }
    });
    this.publishing = send.catch(() => {});
    return send;
  }

  /**
   * Calls `listener` with every message heard, and `onGap` when the listening connection was lost and is back
   * (messages sent meanwhile were missed), until the returned function is called.
   */
  subscribe(listener: (message: string) => void, onGap?: () => void): () => void {
    this.listeners.add(listener);
    if (onGap) this.gapListeners.add(onGap);
    return () => {
      this.listeners.delete(listener);
      if (onGap) this.gapListeners.delete(onGap);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.publishing;
    await Promise.all([this.listener?.end().catch(() => {}), this.publisher?.end().catch(() => {})]);
    this.listener = undefined;
    this.publisher = undefined;
  }

  private async publisherClient(): Promise<pg.Client> {
    if (this.publisher) return this.publisher;
    const client = new pg.Client({ connectionString: this.url });
    client.on("error", (error) => this.options.onError?.(error));
    await client.connect();
    this.publisher = client;
    return client;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on("notification", (notification) => {
      if (notification.channel === this.channel && notification.payload !== undefined)
        this.receive(notification.payload);
    });
    client.on("error", (error) => this.options.onError?.(error));
    client.on("end", () => {
      if (this.listener !== client || this.closed) return;
      this.listener = undefined;
      this.partial.clear(); // the rest of a message cut by the loss never comes
      this.scheduleReconnect();
    });
    await client.connect();
    await client.query(`listen ${this.channel}`);
    this.listener = client;
  }

  private scheduleReconnect(): void {
    this.reconnectTimer = setTimeout(() => {
      this.listen().then(
        () => {
          for (const onGap of this.gapListeners) onGap();
        },
        (error: unknown) => {
          this.options.onError?.(error);
          if (!this.closed) this.scheduleReconnect();
        },
      );
    }, this.options.reconnectMs ?? 500);
    this.reconnectTimer.unref?.();
  }

  private receive(payload: string): void {
    const parsed = parseChunk(payload);
    if (!parsed) return; // not one of ours
    const { messageId, index, count, text } = parsed;
    if (count === 1) return this.deliver(text);
    const entry = this.partial.get(messageId) ?? { parts: new Array<string>(count), received: 0 };
    if (entry.parts[index] === undefined) entry.received++;
    entry.parts[index] = text;
    this.partial.set(messageId, entry);
    if (entry.received < count) return;
    this.partial.delete(messageId);
    this.deliver(entry.parts.join(""));
  }

  private deliver(message: string): void {
    for (const listener of this.listeners) listener(message);
  }
}

/**
 * Splits a message into NOTIFY payloads `<id> <index> <count> <text>`, each at most {@link NOTIFY_CHUNK_BYTES}
 * bytes of UTF-8, cutting only between code points (never inside a surrogate pair).
 */
export function chunkMessage(messageId: string, message: string): string[] {
  const header = (index: number, count: number) => `${messageId} ${index} ${count} `;
  // the widest header a message can need, so every chunk fits whatever its index
  const room = NOTIFY_CHUNK_BYTES - Buffer.byteLength(header(999_999, 999_999));
  const pieces: string[] = [];
  let piece = "";
  let pieceBytes = 0;
  for (const character of message) {
    const bytes = Buffer.byteLength(character);
    if (pieceBytes + bytes > room) {
      pieces.push(piece);
      piece = "";
      pieceBytes = 0;
    }
    piece += character;
    pieceBytes += bytes;
  }
  pieces.push(piece);
  return pieces.map((text, index) => header(index, pieces.length) + text);
}

function parseChunk(payload: string): { messageId: string; index: number; count: number; text: string } | undefined {
  const first = payload.indexOf(" ");
  const second = payload.indexOf(" ", first + 1);
  const third = payload.indexOf(" ", second + 1);
  if (first <= 0 || second <= first || third <= second) return undefined;
  const index = Number(payload.slice(first + 1, second));
  const count = Number(payload.slice(second + 1, third));
  if (!Number.isInteger(index) || !Number.isInteger(count) || index < 0 || index >= count) return undefined;
  return { messageId: payload.slice(0, first), index, count, text: payload.slice(third + 1) };
}
