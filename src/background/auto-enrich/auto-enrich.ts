import { bindRow } from '../../core/action-binding.ts';
import type { Action, Run, Taxonomy } from '../../core/api.ts';
import { type MarkedRow, markKey } from '../../core/approval-marks.ts';
import {
  type AutoEnrichConsole,
  type AutoEnrichFields,
  type AutoEnrichProposal,
  type AutoEnrichRule,
  type AutoEnrichStatus,
  matchesRule,
  ruleWords,
} from '../../core/auto-enrich.ts';
import type { AutoEnrichedMark, AutoEnrichedMarks } from '../../core/auto-enriched.ts';
import type { Job } from '../../core/messages.ts';
import type { RowContext } from '../../core/row-context.ts';
import { isFinished } from '../../core/run-status.ts';
import type { OrchestratorEntry, Settings } from '../../core/settings.ts';
import { cacheKey, type RunCache } from '../jobs/cache.ts';
import type { StoredJob } from '../jobs/job-record.ts';
import { UserError } from '../user-error.ts';
import {
  type BudgetKeeper,
  type ConsoleBudget,
  createConsoleBudget,
  KEPT_VALUES,
  KEPT_VALUES_KEY_CHARS,
} from './budget.ts';

/**
 * The worker's side of in-grid auto-enrichment (core/auto-enrich.ts, docs/auto-enrichment.md). The content
 * script proposes the rows on screen once a scroll rests; everything that bounds the work is decided here,
 * never trusted to the page: the console's switch and rules, that the action is read-only by the
 * orchestrator's catalog now, the result cache first, one run per distinct set of values, the budget of
 * runs per minute and the number going at once. The rows it enriched get a chip through `marks.onScreen`.
 */

/** Waiting for a free run slot: propose again after about this long. */
export const BUSY_RETRY_MS = 2000;
/** Rows remembered per console before the oldest are forgotten (a forgotten row is simply proposed anew). */
const MAX_ROWS = 5000;

interface Enriched {
  jobId: string;
  rule: string;
}

interface ConsoleState {
  budget: ConsoleBudget;
  /** The budget an earlier worker left, read back before this one sends anything. */
  restored: Promise<void>;
  /** Proposals of one console (several tabs) are served one after another: none overspends the budget. */
  queue: Promise<unknown>;
  /** markKey(row) → the runs rules made for it (one per rule). */
  rows: Map<string, Enriched[]>;
  /** Cache key (orchestrator, action, values) → the job rows with those values share. */
  values: Map<string, string>;
}

export interface AutoEnrichService {
  fields(origin: string): Promise<AutoEnrichFields>;
  propose(origin: string, rows: RowContext[]): Promise<AutoEnrichProposal>;
  marks(origin: string, rows: MarkedRow[]): Promise<AutoEnrichedMarks>;
  /** The run behind a row's chip, or `undefined` when auto-enrichment has none for the row. */
  run(origin: string, row: MarkedRow): Promise<Run | undefined>;
  status(origin: string): Promise<AutoEnrichStatus>;
}

export function createAutoEnrich(deps: {
  settings: () => Promise<Settings>;
  defaultEntry: () => Promise<OrchestratorEntry>;
  action: (orchestratorId: string, actionId: string) => Promise<Action | undefined>;
  runs: Pick<RunCache, 'start' | 'isFresh'>;
  job: (jobId: string) => Promise<StoredJob | undefined>;
  /** Where the budget outlives a restarted worker (none: it lives and dies with this one). */
  budgets?: BudgetKeeper;
  now?: () => number;
}): AutoEnrichService {
  const now = deps.now ?? Date.now;
  const consoles = new Map<string, ConsoleState>();
  const stateOf = (origin: string): ConsoleState => {
    let state = consoles.get(origin);
    if (!state) {
      const fresh: ConsoleState = {
        budget: createConsoleBudget(),
        restored: Promise.resolve(),
        queue: Promise.resolve(),
        rows: new Map(),
        values: new Map(),
      };
      fresh.restored = (deps.budgets?.load(origin) ?? Promise.resolve(undefined)).then((kept) => {
        if (!kept) return;
        fresh.budget = createConsoleBudget(kept);
        for (const [key, jobId] of kept.values) if (!fresh.values.has(key)) fresh.values.set(key, jobId);
      });
      state = fresh;
      consoles.set(origin, state);
    }
    return state;
  };
  const keepBudget = (origin: string, state: ConsoleState): Promise<void> => {
    // The newest runs by values, as many as session storage is given room for.
    const values = [...state.values]
      .filter(([key]) => key.length <= KEPT_VALUES_KEY_CHARS)
      .slice(-KEPT_VALUES);
    return deps.budgets?.save(origin, { ...state.budget.snapshot(), values }) ?? Promise.resolve();
  };
  const configOf = async (origin: string): Promise<AutoEnrichConsole | undefined> => {
    const settings = await deps.settings();
    return settings.consoles.includes(origin) ? settings.autoEnrich?.[origin] : undefined;
  };

  /** A job rows may keep pointing at: still going, or answered. A failed one may be tried again. */
  const usable = (job: StoredJob | undefined): job is StoredJob =>
    job !== undefined && (job.open === 1 || job.status === 'succeeded');

  async function forgetFinished(state: ConsoleState): Promise<void> {
    for (const jobId of [...state.budget.running()]) {
      const job = await deps.job(jobId);
      if (!job || job.open === 0) state.budget.finished(jobId);
    }
  }

  /** The read-only action a rule names, re-checked against the catalog now; `undefined` refuses it. */
  async function readOnlyAction(entry: OrchestratorEntry, rule: AutoEnrichRule): Promise<Action | undefined> {
    const action = await deps.action(entry.id, rule.actionId).catch(() => undefined);
    if (!action || action.sideEffects) return undefined;
    return action;
  }

  async function proposeNow(
    origin: string,
    state: ConsoleState,
    rows: RowContext[],
  ): Promise<AutoEnrichProposal> {
    const answer: AutoEnrichProposal = { started: 0, shared: 0, waiting: 0, retryAfterMs: null };
    const config = await configOf(origin);
    if (!config?.enabled || config.rules.length === 0) return answer;
    const entry = await deps.defaultEntry();
    if (state.rows.size > MAX_ROWS || state.values.size > MAX_ROWS) {
      state.rows.clear();
      state.values.clear();
    }
    await forgetFinished(state);
    const wait = (ms: number) => {
      answer.waiting += 1;
      answer.retryAfterMs = Math.min(answer.retryAfterMs ?? ms, ms);
    };

    for (const rule of config.rules) {
      const action = await readOnlyAction(entry, rule);
      if (!action) continue;
      const words = ruleWords(rule, action.name);
      for (const row of rows) {
        if (row.console !== origin || !matchesRule(rule, row.fields[rule.field])) continue;
        const mark = markKey({ key: row.key.value, kind: row.kind });
        const kept = state.rows.get(mark) ?? [];
        const mine = kept.find((e) => e.rule === words);
        if (mine && usable(await deps.job(mine.jobId))) continue;
        const { params, missing } = bindRow(action, row);
        if (missing.length > 0) continue;
        const remember = (jobId: string) => {
          state.rows.set(mark, [...kept.filter((e) => e.rule !== words), { jobId, rule: words }]);
        };

        // Another row with the same values already has its run: share it, send nothing.
        const valuesKey = cacheKey(entry.id, action.id, params);
        const twin = state.values.get(valuesKey);
        if (twin && usable(await deps.job(twin))) {
          remember(twin);
          answer.shared += 1;
          continue;
        }
        const request = { orchestratorId: entry.id, action, params, context: row, tab: null };
        const cached = await deps.runs.isFresh(request);
        if (!cached) {
          const at = now();
          const room = state.budget.nextRoomIn(at, config.perMinute);
          if (room > 0) {
            wait(room);
            continue;
          }
          if (state.budget.running().size >= config.concurrency) {
            wait(BUSY_RETRY_MS);
            continue;
          }
        }
        const job = await deps.runs.start(request);
        // A run the budget counts already: the row was proposed again after the worker restarted, and
        // joined its run still going. Nothing new was sent.
        const joined = state.budget.running().has(job.id);
        if (cached || job.cachedAt !== null || joined) answer.shared += 1;
        else {
          state.budget.spend(now(), job.id);
          if (isFinished(job.status)) state.budget.finished(job.id);
          answer.started += 1;
        }
        state.values.set(valuesKey, job.id);
        remember(job.id);
      }
    }
    return answer;
  }

  return {
    async fields(origin) {
      const config = await configOf(origin);
      if (!config?.enabled) return { fields: [] };
      return { fields: [...new Set(config.rules.map((rule) => rule.field))] };
    },

    propose(origin, rows) {
      const state = stateOf(origin);
      const served = state.queue.then(async () => {
        await state.restored;
        try {
          return await proposeNow(origin, state, rows);
        } finally {
          await keepBudget(origin, state);
        }
      });
      state.queue = served.catch(() => undefined);
      return served;
    },

    async marks(origin, rows) {
      const state = consoles.get(origin);
      const marks: AutoEnrichedMarks = {};
      if (!state) return marks;
      for (const row of rows) {
        const key = markKey(row);
        const kept = state.rows.get(key);
        if (!kept) continue;
        const found: AutoEnrichedMark[] = [];
        for (const { jobId, rule } of kept) {
          const job = await deps.job(jobId);
          if (job) found.push(markOf(job, rule));
        }
        const shown = mostTelling(found);
        if (shown) marks[key] = shown;
      }
      return marks;
    },

    async run(origin, row) {
      const kept = consoles.get(origin)?.rows.get(markKey(row));
      if (!kept) return undefined;
      const jobs = await Promise.all(kept.map((e) => deps.job(e.jobId)));
      const withRun = jobs.filter((job): job is StoredJob => job?.run != null);
      const shown = withRun.sort((a, b) => severity(b.run) - severity(a.run))[0];
      if (!shown?.run) {
        throw new UserError('conflict', 'This row is still being enriched.', 'Open it again in a moment.');
      }
      return shown.run;
    },

    async status(origin) {
      const config = await configOf(origin);
      const state = stateOf(origin);
      await state.restored;
      await forgetFinished(state);
      const rules = config?.rules ?? [];
      // Each rule in the words the options page uses: its action by name, by id only when the catalog
      // cannot say.
      const entry = rules.length > 0 ? await deps.defaultEntry().catch(() => undefined) : undefined;
      const names = await Promise.all(
        rules.map((rule) =>
          entry
            ? deps.action(entry.id, rule.actionId).then(
                (action) => action?.name,
                () => undefined,
              )
            : undefined,
        ),
      );
      return {
        origin,
        configured: rules.length > 0,
        enabled: config?.enabled ?? false,
        rules: rules.map((rule, i) => ruleWords(rule, names[i])),
        spent: state.budget.spent(now()),
        perMinute: config?.perMinute ?? 0,
        running: state.budget.running().size,
        concurrency: config?.concurrency ?? 0,
      };
    },
  };
}

const SEVERITY = { info: 0, safe: 1, suspicious: 2, malicious: 3 } as const;

function worstTaxonomy(run: Run | null): Taxonomy | undefined {
  let worst: Taxonomy | undefined;
  for (const taxonomy of run?.output?.taxonomies ?? []) {
    if (!worst || SEVERITY[taxonomy.level] > SEVERITY[worst.level]) worst = taxonomy;
  }
  return worst;
}

const severity = (run: Run | null): number => {
  const worst = worstTaxonomy(run);
  return worst ? SEVERITY[worst.level] : -1;
};

function markOf(job: Job, rule: string): AutoEnrichedMark {
  const worst = worstTaxonomy(job.run);
  return {
    orchestratorId: job.orchestratorId,
    runId: job.runId ?? job.id,
    rule: `"${rule}" of this browser's auto-enrichment`,
    actionName: job.actionName,
    // Not yet sent to the orchestrator: shown as waiting, like a queued run.
    status: job.status === 'submitting' ? 'queued' : job.status,
    verdict: worst?.level ?? null,
    summary: worst ? `${worst.namespace}:${worst.predicate}=${worst.value}` : null,
  };
}

/** A row several rules enriched shows one chip: the most severe verdict, else a run still going. */
function mostTelling(marks: AutoEnrichedMark[]): AutoEnrichedMark | undefined {
  const rank = (mark: AutoEnrichedMark) =>
    mark.verdict ? 10 + SEVERITY[mark.verdict] : isFinished(mark.status) ? 0 : 5;
  return [...marks].sort((a, b) => rank(b) - rank(a))[0];
}
