import type {ChildProcess} from 'node:child_process';

export type LogLine = Record<string, unknown>;

/** The JSON lines the server writes, and a way to wait for one. */
export class ServerLog {
  readonly lines: LogLine[] = [];
  text = '';
  #waiters: Array<{match: (line: LogLine) => boolean; found: (line: LogLine) => void}> = [];
  #partial = '';

  constructor(child: ChildProcess) {
    child.stderr!.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      this.text += chunk.toString();
      const parts = (this.#partial + chunk.toString()).split('\n');
      this.#partial = parts.pop()!;
      for (const part of parts) {
        if (!part.startsWith('{')) continue;
        const line = JSON.parse(part) as LogLine;
        this.lines.push(line);
        this.#waiters = this.#waiters.filter((waiter) => {
          if (!waiter.match(line)) return true;
          waiter.found(line);
          return false;
        });
      }
    });
  }

  /** Resolves with the first line, written so far or to come, that matches. */
  next(match: (line: LogLine) => boolean): Promise<LogLine> {
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((found) => this.#waiters.push({match, found}));
  }

  message(msg: string): Promise<LogLine> {
    return this.next((line) => line.msg === msg);
  }

  indexOf(match: (line: LogLine) => boolean): number {
    return this.lines.findIndex(match);
  }
}
