// A JSON-lines file, appended and fsynced before anyone is told "stored": the webhook inbox's
// and the automation ledger's.
//
// Why appends and not an atomic rewrite per event (atomic-file.ts): a rewrite costs the whole
// file per event, an append costs one line. Appends that arrive together share one write and one
// fsync (group commit), so a burst of webhooks pays for a few fsyncs, not one each.
//
// Crash safety: a crash mid-append leaves at most one partial last line, and that append was never
// acknowledged. Readers drop it (`readLogLines`), and `create` rewrites the file on open, so the
// next append never lands after half a line. Every write goes to an explicit offset (the end of
// what is known to be good) rather than O_APPEND: after a failed write, whatever part of it reached
// the file is overwritten by the next one.
//
// Compaction replaces the file with a snapshot through writeFileAtomic (temp, fsync, rename,
// fsync dir), queued behind the appends before it, so the snapshot never misses an acknowledged
// line and no append is lost to the rename.
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { isCode, writeFileAtomic } from './atomic-file.js';

/** Points inside a write, for tests that make the disk fail. */
export type AppendPoint = 'write' | 'sync';

export interface AppendLogOptions {
  /** Called before the data is written and before it is fsynced; a throw there fails the write. */
  onPoint?: (point: AppendPoint) => void | Promise<void>;
}

type Job =
  | { kind: 'append'; data: Buffer; written?: () => void; resolve: () => void; reject: (error: unknown) => void }
  | { kind: 'rewrite'; build: () => string; resolve: () => void; reject: (error: unknown) => void };

export interface LogLines {
  lines: string[];
  /** The file ended in the middle of a line (a crash during an append). */
  tornTail: boolean;
}

/** The complete lines of a log file; a missing file has none. */
export async function readLogLines(path: string): Promise<LogLines> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return { lines: [], tornTail: false };
    throw error;
  }
  const parts = text.split('\n');
  // After the last "\n" comes "" in a whole file, or the start of a line that never finished.
  const tail = parts.pop() ?? '';
  return { lines: parts.filter((line) => line !== ''), tornTail: tail !== '' };
}

export class AppendLog {
  private handle: FileHandle | undefined;
  private size: number;
  private queue: Job[] = [];
  private running = false;
  /** Set by close(): new jobs are refused from that moment, the queued ones still run. */
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly path: string,
    private readonly options: AppendLogOptions,
    handle: FileHandle,
    size: number,
  ) {
    this.handle = handle;
    this.size = size;
  }

  /** Replaces whatever is at `path` with `initial` (atomically), then opens it for appending. */
  static async create(path: string, initial: string, options: AppendLogOptions = {}): Promise<AppendLog> {
    await writeFileAtomic(path, initial, { mode: 0o600 });
    const handle = await open(path, 'r+');
    return new AppendLog(path, options, handle, Buffer.byteLength(initial));
  }

  /**
   * Resolves once `text` is on disk (written and fsynced). `written` runs synchronously at that
   * moment, before any later job: a snapshot queued behind this append already sees its effect.
   */
  append(text: string, written?: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.enqueue({ kind: 'append', data: Buffer.from(text, 'utf8'), written, resolve, reject });
    });
  }

  /** Replaces the file with `build()`, called once every job queued before this one is done. */
  rewrite(build: () => string): Promise<void> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'rewrite', build, resolve, reject }));
  }

  /**
   * Finishes the jobs queued so far, then closes the file. A job offered after close() was called
   * is refused at once: if it were queued behind the drain, it would run on a closed handle (a
   * write reported failed that reached the disk) or reopen the file after close (a leaked handle).
   */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      // An empty "rewrite" writes nothing; it only resolves once every job before it is done.
      this.schedule({ kind: 'rewrite', build: () => '', resolve, reject: () => resolve() });
    }).then(async () => {
      const handle = this.handle;
      this.handle = undefined;
      await handle?.close();
    });
    return this.closing;
  }

  private enqueue(job: Job): void {
    if (this.closing !== undefined) {
      job.reject(new Error(`The log file ${this.path} is closed.`));
      return;
    }
    this.schedule(job);
  }

  private schedule(job: Job): void {
    this.queue.push(job);
    if (!this.running) {
      this.running = true;
      void this.run();
    }
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const first = this.queue[0]!;
        if (first.kind === 'rewrite') {
          this.queue.shift();
          try {
            const text = first.build();
            // close() schedules an empty "rewrite" only to wait for the queue; nothing to write.
            if (text !== '') await this.replace(text);
            first.resolve();
          } catch (error) {
            first.reject(error);
          }
          continue;
        }
        const batch: Extract<Job, { kind: 'append' }>[] = [];
        while (this.queue[0]?.kind === 'append') batch.push(this.queue.shift() as Extract<Job, { kind: 'append' }>);
        try {
          await this.write(Buffer.concat(batch.map((job) => job.data)));
        } catch (error) {
          for (const job of batch) job.reject(error);
          continue;
        }
        for (const job of batch) job.written?.();
        for (const job of batch) job.resolve();
      }
    } finally {
      this.running = false;
    }
  }

  private async write(data: Buffer): Promise<void> {
    const point = this.options.onPoint ?? (() => undefined);
    // A handle is missing only after a compaction whose reopen failed; try again now.
    this.handle ??= await open(this.path, 'r+');
    const handle = this.handle;
    try {
      await point('write');
      let offset = 0;
      while (offset < data.length) {
        const { bytesWritten } = await handle.write(data, offset, data.length - offset, this.size + offset);
        offset += bytesWritten;
      }
      await point('sync');
      // fdatasync: the data and the new file size, which is all an append changes.
      await handle.datasync();
    } catch (error) {
      // Best effort: cut off what part of the batch got in, so a restart does not see it either.
      await handle.truncate(this.size).catch(() => undefined);
      throw error;
    }
    this.size += data.length;
  }

  private async replace(text: string): Promise<void> {
    await writeFileAtomic(this.path, text, { mode: 0o600 });
    // The old handle points at the replaced file now; appends must go to the new one.
    const old = this.handle;
    this.handle = undefined;
    this.size = Buffer.byteLength(text);
    await old?.close().catch(() => undefined);
    this.handle = await open(this.path, 'r+');
  }
}
