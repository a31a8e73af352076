import type { z } from 'zod';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  ExportEnvelopeSchema,
  type ExportFile,
  type HistoryQuery,
  type ImportRejection,
  type ImportReport,
} from '../../core/history.ts';
import { type Job, JobSchema } from '../../core/messages.ts';
import { isFinished } from '../../core/run-status.ts';
import { historyRecord, type StoredJob, toJob } from '../jobs/job-record.ts';
import type { JobStore } from '../jobs/job-store.ts';
import type { HistoryService } from './history.ts';
import { historyCsv } from './history-csv.ts';

/**
 * Export and import of the history and pins (one versioned JSON envelope), and the history as CSV.
 * An imported file may come from anyone: every record enters through its zod schema, one bad record is
 * rejected alone with its reason, ids are the keys so importing twice adds nothing, and an imported run
 * that was unfinished is never polled here: the run belongs to another profile's orchestrator session.
 */

/** Pins as export/import sees them (src/background/pins/pins.ts provides it once pins exist). */
export interface PinsPort {
  /** Every pin, as exported. */
  all(): Promise<unknown[]>;
  /** Adds one untrusted pin record; never overwrites one with the same id. */
  add(raw: unknown): Promise<'added' | 'present' | { rejected: string }>;
}

const MAX_REJECTIONS_LISTED = 50;
const IMPORT_CHUNK = 500;

export const IMPORTED_UNFINISHED: Job['error'] = {
  code: 'refused',
  message: 'This run was unfinished when it was exported; Gridside does not follow imported runs.',
  hint: "Check the orchestrator's run history for its outcome.",
};

export interface ExportService {
  exportFile(format: 'json' | 'csv', query?: HistoryQuery): Promise<ExportFile>;
  importFile(text: string): Promise<ImportReport>;
}

export function createExport(deps: {
  store: JobStore;
  history: HistoryService;
  pins?: PinsPort;
  now?: () => number;
}): ExportService {
  const now = deps.now ?? Date.now;

  return {
    async exportFile(format, query) {
      const jobs: Job[] = [];
      await deps.history.each(query, (job) => {
        jobs.push(toJob(job));
      });
      const stamp = new Date(now()).toISOString();
      const day = stamp.slice(0, 10);
      if (format === 'csv') {
        return {
          filename: `gridside-history-${day}.csv`,
          mimeType: 'text/csv;charset=utf-8',
          text: historyCsv(jobs),
          jobs: jobs.length,
          pins: 0,
        };
      }
      const pins = deps.pins ? await deps.pins.all() : [];
      const envelope = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: stamp, jobs, pins };
      return {
        filename: `gridside-export-${day}.json`,
        mimeType: 'application/json',
        text: JSON.stringify(envelope, null, 1),
        jobs: jobs.length,
        pins: pins.length,
      };
    },

    async importFile(text) {
      const report: ImportReport = {
        jobs: { added: 0, alreadyPresent: 0, rejected: 0 },
        pins: { added: 0, alreadyPresent: 0, rejected: 0 },
        rejections: [],
      };
      const reject = (where: string, reason: string) => {
        if (report.rejections.length < MAX_REJECTIONS_LISTED) report.rejections.push({ where, reason });
      };
      const envelope = parseEnvelope(text);
      if ('rejection' in envelope) {
        report.rejections.push(envelope.rejection);
        return report;
      }

      const valid: Job[] = [];
      for (const [index, raw] of envelope.data.jobs.entries()) {
        const parsed = JobSchema.safeParse(raw);
        if (parsed.success) valid.push(parsed.data);
        else {
          report.jobs.rejected++;
          reject(`jobs[${index}]`, firstIssue(parsed.error));
        }
      }
      // Check-then-add inside one transaction per chunk: another import cannot slip in between, and a
      // large file does not pay for a transaction per run.
      for (let from = 0; from < valid.length; from += IMPORT_CHUNK) {
        const chunk = valid.slice(from, from + IMPORT_CHUNK);
        const added = await deps.store.addMissing(chunk.map(storedFromImport));
        report.jobs.added += added;
        report.jobs.alreadyPresent += chunk.length - added;
      }

      for (const [index, raw] of envelope.data.pins.entries()) {
        if (!deps.pins) {
          report.pins.rejected++;
          reject(`pins[${index}]`, 'This Gridside cannot store pins.');
          continue;
        }
        const outcome = await deps.pins.add(raw);
        if (outcome === 'added') report.pins.added++;
        else if (outcome === 'present') report.pins.alreadyPresent++;
        else {
          report.pins.rejected++;
          reject(`pins[${index}]`, outcome.rejected);
        }
      }
      return report;
    },
  };
}

/** An imported job is terminal here, whatever it was: it is history, not something to follow. */
export function storedFromImport(job: Job): StoredJob {
  const finished = isFinished(job.status);
  return historyRecord({ ...job, error: finished ? job.error : (job.error ?? IMPORTED_UNFINISHED) });
}

function parseEnvelope(
  text: string,
): { data: z.infer<typeof ExportEnvelopeSchema> } | { rejection: ImportRejection } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { rejection: { where: 'file', reason: 'The file is not JSON.' } };
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (format !== EXPORT_FORMAT) {
    return { rejection: { where: 'file', reason: 'The file is not a Gridside export.' } };
  }
  const version = (json as { version?: unknown }).version;
  if (version !== EXPORT_VERSION) {
    return {
      rejection: {
        where: 'file',
        reason: `The file is a version ${String(version)} export; this Gridside reads version ${EXPORT_VERSION}.`,
      },
    };
  }
  const parsed = ExportEnvelopeSchema.safeParse(json);
  if (!parsed.success) return { rejection: { where: 'file', reason: firstIssue(parsed.error) } };
  return { data: parsed.data };
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The record is not valid.';
  const path = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${path}${issue.message}`;
}
