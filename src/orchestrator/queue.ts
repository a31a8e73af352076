/**
 * The global concurrency limit: at most `limit` plugin processes at once, the rest wait in FIFO order
 * (their run shows `queued`). The queue only orders run ids; the runner does the work.
 */
export class RunQueue {
  private readonly waiting: string[] = [];
  private readonly active = new Set<string>();

  constructor(
    private readonly limit: number,
    private readonly start: (runId: string) => Promise<void>,
  ) {}

  enqueue(runId: string): void {
    if (this.active.has(runId) || this.waiting.includes(runId)) return;
    this.waiting.push(runId);
    this.pump();
  }

  /** Removes a run that has not started; returns false if it was not waiting. */
  remove(runId: string): boolean {
    const index = this.waiting.indexOf(runId);
    if (index === -1) return false;
    this.waiting.splice(index, 1);
    return true;
  }

  get running(): number {
    return this.active.size;
  }

  /** Stop starting new runs (shutdown). */
  close(): void {
    this.waiting.length = 0;
    this.closed = true;
  }

  private closed = false;

  private pump(): void {
    while (!this.closed && this.active.size < this.limit && this.waiting.length > 0) {
      const runId = this.waiting.shift()!;
      this.active.add(runId);
      this.start(runId)
        .catch((error: unknown) => {
          process.stderr.write(`gridside-orchestrator: run ${runId} crashed: ${String(error)}\n`);
        })
        .finally(() => {
          this.active.delete(runId);
          this.pump();
        });
    }
  }
}
