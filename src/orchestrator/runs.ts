import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApprovalRequest, Run, RunStatus, StartRunRequest } from '../core/api.ts';
import { runSignature } from '../core/api.ts';
import { isFinished } from '../core/run-status.ts';
import { powerShellCodeRisk } from '../core/srp/argv.ts';
import { approvalView, checkApprover, currentLevel } from './approvals.ts';
import { type AuditLog, canonicalJson } from './audit.ts';
import type { Caller } from './auth.ts';
import { buildCatalog, type CatalogEntry, mayRun } from './catalog.ts';
import { configuredSecrets, type OrchestratorConfig } from './config.ts';
import { isDiskFull, logDiskFull } from './disk-full.ts';
import { badRequest, conflict, forbidden, HttpError, notFound } from './http-error.ts';
import { commandLineFor, ParamError, resolveVisibleParams } from './params.ts';
import type { PluginRegistry } from './plugins.ts';
import { RunQueue } from './queue.ts';
import { redactedOutput, redactSecrets } from './redact.ts';
import { enterRunCgroup, killMarkedProcesses, killRunLeftovers, pidMark } from './run-cleanup.ts';
import {
  CommandNotAllowedError,
  type RunningProcess,
  resolveCommand,
  scrubbedEnv,
  startFailure,
  startProcess,
} from './runner.ts';
import { createSpawner } from './spawner.ts';
import type { RunFilter, RunRecord, RunStore } from './store.ts';

/**
 * A run's life: requested → (pending_approval →) queued → running → succeeded | failed | timed_out,
 * or denied / canceled on the way. Every transition is written to SQLite and the audit chain before
 * anyone is told about it.
 */

/** How often a run's start or end that could not be saved (a full disk) is tried again. */
const RECORD_RETRY_MS = 2_000;

export const RESTART_REASON = 'orchestrator restarted while the run was in progress';
export const SHUTDOWN_REASON = 'orchestrator stopped while the run was in progress';

/** Why Gridside itself stopped a running plugin: an analyst's cancel, or the orchestrator shutting down. */
type StopCause = { kind: 'canceled'; reason: string } | { kind: 'shutdown' };

export interface RunServiceOptions {
  store: RunStore;
  audit: AuditLog;
  registry: PluginRegistry;
  config: OrchestratorConfig;
  env: NodeJS.ProcessEnv;
  /** The OS user plugins run as (run-as.ts); unset: as the orchestrator itself. */
  pluginUser?: { uid: number; gid: number };
  /** Who wrote the trigger rule that requested a run (triggers.ts); they may not approve its runs. */
  authorOf?: (requestedBy: string) => string | undefined;
}

/** What a long poll compares with what its caller saw: a run's status and approvals. */
export type RunState = Pick<Run, 'status' | 'approvals'>;

export class RunService {
  private readonly queue: RunQueue;
  private readonly processes = new Map<string, RunningProcess>();
  /** Running plugins Gridside stopped on purpose, and why; a shutdown outranks a cancel. */
  private readonly stopped = new Map<string, StopCause>();
  /** Long-polls waiting on a run: `untilEnd` ones wake only when it ends, the others on any change. */
  private readonly waiters = new Map<string, Set<{ wake: () => void; untilEnd: boolean }>>();
  private stopping = false;
  /** Runs being executed, so a shutdown waits until each has recorded its end. */
  private readonly executing = new Set<Promise<void>>();
  /** Where plugins are spawned from on Linux, where a spawn forks (spawner.ts says why not from here). */
  private readonly spawner = process.platform === 'linux' ? createSpawner() : undefined;

  constructor(private readonly o: RunServiceOptions) {
    this.queue = new RunQueue(o.config.concurrency, (id) => {
      const executing = this.execute(id);
      this.executing.add(executing);
      void executing.finally(() => this.executing.delete(executing)).catch(() => {});
      return executing;
    });
  }

  private cached: { version: number; catalog: Map<string, CatalogEntry> } | undefined;

  catalog(): Map<string, CatalogEntry> {
    if (this.cached?.version !== this.o.registry.version) {
      this.cached = {
        version: this.o.registry.version,
        catalog: buildCatalog(this.o.registry, this.o.config),
      };
    }
    return this.cached.catalog;
  }

  async request(caller: Caller, request: StartRunRequest): Promise<Run> {
    const key = request.idempotencyKey;
    const fingerprint = key === undefined ? null : startFingerprint(request);
    // A start sent again (its answer lost on the way, or resent by the browser) is answered with the run
    // it started, even when the action has become unavailable since: that run exists either way.
    const earlier = this.earlierStart(caller, key, fingerprint);
    if (earlier) return earlier;
    let entry = this.catalog().get(request.actionId);
    if (!entry) throw new HttpError(404, 'not_found', `no action "${request.actionId}"`, 'actionId');
    if (!mayRun(entry.action, caller.roles)) {
      throw forbidden(
        `running "${entry.action.name}" needs one of the roles ${entry.action.roles.join(', ')}`,
      );
    }
    // Checked here so the analyst hears about a tampered plugin now; checked again just before it starts.
    const tampered = await this.o.registry.check(entry.plugin.id);
    entry = this.catalog().get(request.actionId) ?? entry;
    if (tampered || !entry.action.available) {
      throw conflict(tampered ?? entry.action.unavailableReason ?? 'the action is unavailable');
    }
    let visible: Record<string, string>;
    try {
      visible = resolveVisibleParams(entry, request.params, request.context, this.o.config.consoleTimeZone);
      commandLineFor(entry, visible, this.o.env); // refuses a missing required value now, not at run time
    } catch (error) {
      if (error instanceof ParamError) throw badRequest(error.message, error.field);
      throw error;
    }
    const needsApproval = entry.action.approval.levels > 0;
    const record: RunRecord = {
      id: randomUUID(),
      actionId: entry.action.id,
      actionName: entry.action.name,
      status: needsApproval ? 'pending_approval' : 'queued',
      requestedBy: caller.name,
      params: visible,
      alarmId: request.context.alarmId ?? null,
      rowKey: request.context.key.value,
      reason: null,
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      pid: null,
      startKey: key ?? null,
      startFingerprint: fingerprint,
    };
    // One transaction: a full disk refuses the run whole, never a run without its audit record.
    const repeated = this.o.store.atomically(() => {
      // The same start sent twice at once: both passed the look above while the plugin's files were being
      // checked, and the first one recorded is the run both are answered with.
      const raced = this.earlierStart(caller, key, fingerprint);
      if (raced) return raced;
      this.o.store.insert(record);
      this.o.audit.append({
        actor: caller.name,
        event: 'run.requested',
        runId: record.id,
        actionId: record.actionId,
        params: visible,
        outcome: record.status,
      });
      return undefined;
    });
    if (repeated) return repeated;
    if (!needsApproval) {
      this.queue.enqueue(record.id);
      // A run the queue took at once starts before the answer goes out: its pre-run check needs no I/O
      // while the plugin's files are unchanged, so one turn of the event loop sees the plugin spawned. The
      // plugin no longer waits behind the answer and the work the answer sets off in the browser, and
      // the requester learns "running" from the answer, without a long poll to hear it.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return this.view(record.id)!;
  }

  /**
   * The run this caller's earlier start with the idempotency key `key` started, if any. The key names
   * that one start: sent with another action, other values or another row, it is refused rather than
   * answered with a run that is not what was asked for.
   */
  private earlierStart(caller: Caller, key: string | undefined, fingerprint: string | null): Run | undefined {
    if (key === undefined) return undefined;
    const run = this.o.store.startedWith(caller.name, key);
    if (!run) return undefined;
    if (run.startFingerprint !== fingerprint) {
      throw new HttpError(
        409,
        'conflict',
        `the idempotency key "${key}" was already used for another start (run ${run.id}, ${run.actionName}); a new start needs a new key`,
        'idempotencyKey',
      );
    }
    return this.toRun(run);
  }

  decide(caller: Caller, runId: string, request: ApprovalRequest): Run {
    const run = this.o.store.get(runId);
    if (!run) throw notFound('run');
    if (run.status !== 'pending_approval')
      throw conflict(`the run is ${run.status}, not waiting for approval`);
    const entry = this.catalog().get(run.actionId);
    if (!entry) throw conflict('the action of this run no longer exists');
    const policy = entry.action.approval;
    const records = this.o.store.approvals(runId);
    if (this.o.authorOf?.(run.requestedBy) === caller.name) {
      throw forbidden(`you wrote ${run.requestedBy}, which requested this run; ask another approver`);
    }
    let level: number;
    try {
      level = checkApprover(policy, records, caller, run.requestedBy);
    } catch (error) {
      if (error instanceof Error && 'status' in error) {
        throw new HttpError(
          error.status as number,
          error.status === 403 ? 'forbidden' : 'conflict',
          error.message,
        );
      }
      throw error;
    }
    const at = new Date().toISOString();
    const status = request.decision === 'approve' ? 'approved' : 'denied';
    this.o.store.addApproval(runId, { level, status, by: caller.name, at, comment: request.comment });
    this.o.audit.append({
      actor: caller.name,
      event: status === 'approved' ? 'approval.approved' : 'approval.denied',
      runId,
      actionId: run.actionId,
      outcome: `level ${level}${request.comment ? `: ${request.comment}` : ''}`,
    });
    if (status === 'denied') {
      const reason = `denied by ${caller.name} at level ${level}${request.comment ? `: ${request.comment}` : ''}`;
      this.finish(runId, 'denied', reason);
    } else if (currentLevel(policy, this.o.store.approvals(runId)) === undefined) {
      this.o.store.update(runId, { status: 'queued' });
      this.notify(runId);
      this.queue.enqueue(runId);
    } else {
      this.notify(runId); // one level approved, the next still pending: the requester's panel shows it
    }
    return this.view(runId)!;
  }

  cancel(caller: Caller, runId: string): Run {
    const run = this.o.store.get(runId);
    if (!run) throw notFound('run');
    if (caller.name !== run.requestedBy && !caller.roles.includes('admin')) {
      throw forbidden('only the analyst who requested the run, or an admin, can cancel it');
    }
    if (isFinished(run.status)) throw conflict(`the run already ended (${run.status})`);
    const reason = `canceled by ${caller.name}`;
    const process = this.processes.get(runId);
    if (process) {
      this.o.store.update(runId, { reason });
      if (!this.stopped.has(runId)) this.stopped.set(runId, { kind: 'canceled', reason });
      process.cancel(); // execute() records `canceled` when the process group is gone
    } else {
      this.queue.remove(runId);
      this.finish(runId, 'canceled', reason);
    }
    this.o.audit.append({
      actor: caller.name,
      event: 'run.canceled',
      runId,
      actionId: run.actionId,
      outcome: reason,
    });
    return this.view(runId)!;
  }

  view(runId: string): Run | undefined {
    const run = this.o.store.get(runId);
    if (!run) return undefined;
    return this.toRun(run);
  }

  /**
   * What a long poll compares with what its caller saw (`runSignature`): the run's status and approvals.
   * Read without the run's output and parameters, which a view reads and parses: a poll over a batch's
   * rows looks at every row still going several times per answer, and only the changed ones are sent.
   */
  state(runId: string): RunState | undefined {
    const run = this.o.store.statusOf(runId);
    if (!run) return undefined;
    return { status: run.status, approvals: this.approvalsOf(runId, run.actionId, run.status) };
  }

  list(filter: RunFilter): Run[] {
    return this.o.store.list(filter).map((run) => this.toRun(run));
  }

  /**
   * Long-poll: resolves after `ms` at the latest. Without `seen`, when the run reaches a terminal status.
   * With `seen` (the `runSignature` of the run the client last saw), as soon as the run differs from it:
   * at once if it already does, else on its next change (a level approved, queued, running, ended).
   */
  async waitForChange(runId: string, ms: number, seen?: string): Promise<void> {
    const run = this.state(runId);
    if (!run || isFinished(run.status) || ms <= 0 || this.stopping) return;
    if (seen !== undefined && runSignature(run) !== seen) return;
    await new Promise<void>((resolve) => {
      const set = this.waiters.get(runId) ?? new Set();
      this.waiters.set(runId, set);
      const waiter = {
        untilEnd: seen === undefined,
        wake: (): void => {
          clearTimeout(timer);
          set.delete(waiter);
          if (set.size === 0) this.waiters.delete(runId);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, ms);
      set.add(waiter);
    });
  }

  /**
   * After a restart: runs that were executing are failed (their process may have half-done its work;
   * re-running a side effect unasked is worse), runs that were approved and waiting are queued again
   * (nothing has run yet), pending approvals stay pending.
   */
  async recover(): Promise<void> {
    for (const run of this.o.store.withStatus(['running'])) {
      killLeftover(run);
      await killRunLeftovers(run.id);
      // What the plugin printed before the crash was saved as it arrived: the analyst still sees it.
      this.o.store.recoverOutput(run.id, configuredSecrets(this.o.config, this.o.env));
      this.finish(run.id, 'failed', RESTART_REASON);
    }
    for (const run of this.o.store.withStatus(['queued'])) this.queue.enqueue(run.id);
  }

  /** Shutdown: start nothing new, kill running process groups, record why. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.queue.close();
    for (const waiter of [...this.waiters.values()].flatMap((set) => [...set])) waiter.wake();
    const running = [...this.processes.entries()];
    for (const [runId, process] of running) {
      this.o.store.update(runId, { reason: SHUTDOWN_REASON });
      this.stopped.set(runId, { kind: 'shutdown' });
      process.cancel();
    }
    await Promise.all(running.map(([, process]) => process.result));
    await Promise.allSettled([...this.executing]);
    this.spawner?.stop();
  }

  private async execute(runId: string): Promise<void> {
    const run = this.o.store.get(runId);
    if (run?.status !== 'queued' || this.stopping) return;
    const entry = this.catalog().get(run.actionId);
    if (!entry) return this.finish(runId, 'failed', `the action ${run.actionId} is no longer loaded`);
    const tampered = await this.o.registry.check(entry.plugin.id);
    // Canceled (or shutting down) while the files were being checked: do not start it after all.
    if (this.stopping || this.o.store.get(runId)?.status !== 'queued') return;
    if (tampered) return this.finish(runId, 'failed', tampered);
    // Asked for before the orchestrator knew to refuse it (approved since, or queued across an upgrade).
    const unsafe = powerShellCodeRisk(entry.srp);
    if (unsafe) return this.finish(runId, 'failed', unsafe);
    let command: string;
    let line: ReturnType<typeof commandLineFor>;
    try {
      line = commandLineFor(entry, run.params, this.o.env);
      command = resolveCommand(line.command, this.o.config.interpreters, entry.plugin.dir);
    } catch (error) {
      if (error instanceof ParamError || error instanceof CommandNotAllowedError) {
        return this.finish(runId, 'failed', error.message);
      }
      throw error;
    }
    const startedAt = new Date();
    // Recorded as running before its process exists. If the record cannot be written (a full disk), the
    // plugin is not started: the run keeps its place and is tried again once there is room. Started first,
    // a plugin whose start went unrecorded would run unseen, its run left queued, and a restart would
    // queue it and run it again.
    try {
      this.o.store.atomically(() => {
        this.o.store.update(runId, {
          status: 'running',
          startedAt: startedAt.toISOString(),
        });
        this.o.audit.append({
          actor: 'system',
          event: 'run.started',
          runId,
          actionId: run.actionId,
          outcome: 'running',
        });
      });
    } catch (error) {
      if (!isDiskFull(error) || this.stopping) throw error;
      logDiskFull(`recording the start of run ${runId}`, error);
      await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_MS));
      return this.execute(runId);
    }
    const journal = this.o.store.journal(runId, line.secrets);
    // Every process the plugin starts gets a pid the kernel hands out after this.
    const pidsBefore = pidMark();
    const process = startProcess({
      command,
      args: line.args,
      cwd: entry.plugin.dir,
      env: { ...scrubbedEnv(this.o.config.passEnv, this.o.env), GRIDSIDE_RUN_ID: runId },
      timeoutMs: entry.action.timeoutSeconds * 1000,
      outputCapBytes: this.o.config.outputCapBytes,
      killGraceMs: this.o.config.killGraceMs,
      ...(this.o.pluginUser ? { user: this.o.pluginUser } : {}),
      onOutput: (stream, kept, overflowed) => journal.add(stream, kept, overflowed),
      spawner: this.spawner,
    });
    this.processes.set(runId, process);
    // The pid comes back from the spawning helper a moment later (whoever asked already hears "running"
    // in the answer): it is recorded once known.
    const placed = process.started
      .then((pid) => this.started(runId, pid))
      .catch((error: unknown) => {
        globalThis.process.stderr.write(
          `gridside-orchestrator: could not record the pid of run ${runId}: ${(error as Error).message}\n`,
        );
      });
    this.notify(runId);
    const result = await process.result;
    // The cgroup the plugin was being moved into must exist before its end can kill and remove it.
    await placed;
    // Nothing the run started outlives it, detached children included (run-cleanup.ts).
    const leftovers = await killRunLeftovers(
      runId,
      this.o.pluginUser !== undefined && this.o.pluginUser.uid !== 0,
      pidsBefore,
    );
    this.processes.delete(runId);
    const stop = this.stopped.get(runId);
    this.stopped.delete(runId);

    const output = redactedOutput(result, line.secrets);
    // Error messages come from the process and its helper; they are stored and audited like its output.
    const clean = (text: string): string => redactSecrets(text, line.secrets);
    let status: RunStatus = 'succeeded';
    let reason: string | null = null;
    if (stop?.kind === 'shutdown') [status, reason] = ['failed', SHUTDOWN_REASON];
    else if (result.canceled) [status, reason] = ['canceled', stop?.reason ?? 'canceled'];
    else if (result.timedOut) {
      status = 'timed_out';
      reason = `the plugin ran longer than ${entry.action.timeoutSeconds} s; its processes were killed`;
    } else if (result.lost !== undefined) {
      // Its processes were killed just above (cgroup and marker sweep), whatever state they were in.
      [status, reason] = [
        'failed',
        `the plugin's end could not be followed (${clean(result.lost)}); its processes were killed`,
      ];
    } else if (result.spawnError !== undefined) {
      // The system's words name the server's paths: they go to the orchestrator's log, not to the run.
      globalThis.process.stderr.write(
        `gridside-orchestrator: run ${runId} could not start ${command}: ${clean(result.spawnError)}\n`,
      );
      reason = `the plugin could not be started: ${startFailure(result.spawnErrorCode, command, entry.plugin.dir)}`;
      status = 'failed';
    } else if (result.exitCode !== 0) {
      status = 'failed';
      reason =
        result.exitCode === null
          ? `the plugin was killed by ${result.signal ?? 'a signal'}`
          : `the plugin exited with code ${result.exitCode}`;
    }
    await this.recordEnd(runId, () => {
      this.o.store.saveOutput(runId, output);
      journal.discard(); // the whole output is saved now
      this.finish(runId, status, reason, startedAt, result.exitCode);
    });
    if (leftovers === 'sweep-after-end') {
      // After the answer to whoever waits on this run has gone out (run-cleanup.ts says why this order).
      await new Promise((resolve) => setImmediate(resolve));
      killMarkedProcesses(runId, pidsBefore);
    }
  }

  /**
   * The plugin's process exists: it goes into the run's cgroup, and its pid is recorded for a restart to
   * find it. Without the pid on record a restart still finds the run's processes by their marker.
   */
  private async started(runId: string, pid: number | undefined): Promise<void> {
    if (pid === undefined) return;
    const entering = enterRunCgroup(runId, pid);
    try {
      this.o.store.update(runId, { pid });
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      logDiskFull(`recording the pid of run ${runId}`, error);
    }
    await entering;
  }

  /**
   * Records a run's end. On a full disk nothing of it is written; it is tried again every few seconds,
   * so the run ends (with its whole output, kept in memory meanwhile) once space returns. A shutdown in
   * between leaves it to the restart, which ends it with the output saved so far.
   */
  private async recordEnd(runId: string, record: () => void): Promise<void> {
    for (;;) {
      try {
        record();
        return;
      } catch (error) {
        if (!isDiskFull(error) || this.stopping) throw error;
        logDiskFull(`recording the end of run ${runId}`, error);
        await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_MS));
      }
    }
  }

  private finish(
    runId: string,
    status: RunStatus,
    reason: string | null,
    startedAt?: Date,
    exitCode?: number | null,
  ): void {
    const run = this.o.store.get(runId);
    const finished = new Date();
    const started = startedAt ?? (run?.startedAt ? new Date(run.startedAt) : undefined);
    this.o.store.atomically(() => {
      this.o.store.update(runId, {
        status,
        reason,
        finishedAt: finished.toISOString(),
        durationMs: started ? finished.getTime() - started.getTime() : null,
      });
      if (status !== 'denied' && status !== 'canceled') {
        this.o.audit.append({
          actor: 'system',
          event: 'run.finished',
          runId,
          actionId: run?.actionId ?? null,
          outcome: `${status}${exitCode !== undefined && exitCode !== null ? ` (exit code ${exitCode})` : ''}${reason ? `: ${reason}` : ''}`,
        });
      }
    });
    this.notify(runId);
  }

  /** Wakes the long-polls of a run that changed; those waiting for its end only when it ended. */
  private notify(runId: string): void {
    const run = this.o.store.get(runId);
    if (!run) return;
    const ended = isFinished(run.status);
    for (const waiter of [...(this.waiters.get(runId) ?? [])]) if (ended || !waiter.untilEnd) waiter.wake();
  }

  /** The run's approvals as its action's policy shows them (a level still open is listed as pending). */
  private approvalsOf(runId: string, actionId: string, status: RunStatus): Run['approvals'] {
    const policy = this.catalog().get(actionId)?.action.approval ?? {
      levels: 0,
      quorum: 1,
      approverRoles: [],
    };
    return approvalView(policy, this.o.store.approvals(runId), status === 'pending_approval');
  }

  private toRun(run: RunRecord): Run {
    return {
      id: run.id,
      actionId: run.actionId,
      actionName: run.actionName,
      status: run.status,
      requestedBy: run.requestedBy,
      params: run.params,
      alarmId: run.alarmId,
      rowKey: run.rowKey,
      approvals: this.approvalsOf(run.id, run.actionId, run.status),
      output: this.o.store.output(run.id),
      reason: run.reason,
      timing: {
        createdAt: run.createdAt,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        durationMs: run.durationMs,
      },
      ...(run.startKey ? { idempotencyKey: run.startKey } : {}),
    };
  }
}

/**
 * What a start asked for, to tell a repeat of it from another start under the same key: its action,
 * values and row, each object's keys in one order (a repeat may list them in another). `wait` is left
 * out: it changes how long the answer is held, not what runs.
 */
export function startFingerprint({ actionId, params, context }: StartRunRequest): string {
  return createHash('sha256')
    .update(canonicalJson([actionId, params, context]))
    .digest('hex');
}

/**
 * A crash (kill -9) leaves the plugin's process group running. Kill it on restart, but only if that
 * pid still belongs to this run (its environment carries GRIDSIDE_RUN_ID); pids are reused.
 */
function killLeftover(run: RunRecord): void {
  if (run.pid === null || process.platform !== 'linux') return;
  try {
    const environ = readFileSync(`/proc/${run.pid}/environ`, 'utf8');
    if (environ.split('\0').includes(`GRIDSIDE_RUN_ID=${run.id}`)) process.kill(-run.pid, 'SIGKILL');
  } catch {
    // Gone already, or not ours to read.
  }
}
