import { answerWith, type HandlerTable } from '../../core/channel.ts';
import type { HISTORY_REPLIES, HistoryRequest } from '../../core/history.ts';
import type { RepliesFrom } from '../../core/page-channel.ts';
import type { ExportService } from '../history/export.ts';
import type { HistoryService } from '../history/history.ts';
import { UserError } from '../user-error.ts';
import type { HistoryHandler } from './router.ts';

/** History, export and import: only the history page reaches this (router.ts checks the sender's URL). */
export function createHistoryHandler(deps: {
  history: HistoryService;
  transfer: ExportService;
}): HistoryHandler {
  const table: HandlerTable<HistoryRequest, RepliesFrom<typeof HISTORY_REPLIES>> = {
    'history.search': (request) => deps.history.search(request.query, request.after, request.limit),
    'history.get': async (request) => {
      const job = await deps.history.get(request.jobId);
      if (!job) throw new UserError('not_found', 'Gridside has no record of this run.');
      return job;
    },
    'history.export': (request) => deps.transfer.exportFile(request.format, request.query),
    'history.import': (request) => deps.transfer.importFile(request.text),
  };
  return answerWith(table);
}
