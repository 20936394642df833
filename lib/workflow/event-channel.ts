/** A single-consumer async queue: producers push, one `for await` reads; ends with close() or fail(). */
export class EventChannel<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = [];
  private waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;
  private done = false;
  private error: { value: unknown } | undefined;
  private readonly onReturn: () => void;

  constructor(onReturn: () => void = () => {}) {
    this.onReturn = onReturn;
  }

  push(item: T): void {
    if (this.done) return;
    if (this.waiting) {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting.resolve({ value: item, done: false });
    } else {
      this.buffer.push(item);
    }
  }

  close(): void {
    this.finish();
  }

  fail(error: unknown): void {
    this.error = { value: error };
    this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.waiting && this.buffer.length === 0) {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (this.error) waiting.reject(this.error.value);
      else waiting.resolve({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.buffer.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (this.done) {
          if (this.error) {
            const error = this.error.value;
            this.error = undefined;
            return Promise.reject(error);
          }
          return Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve, reject) => {
          this.waiting = { resolve, reject };
        });
      },
      return: () => {
        if (!this.done) this.onReturn();
        this.done = true;
        this.buffer.length = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
