import { type HistoryRequest, isHistoryRequest } from '../../core/history.ts';
import type { ExportService } from '../history/export.ts';
import type { HistoryService } from '../history/history.ts';
import { UserError } from '../user-error.ts';
import type { OptionsHandler } from './router.ts';

/** History, export and import: privileged requests, only from extension pages (router.ts checks). */
export function createHistoryHandler(deps: { history: HistoryService; transfer: ExportService }) {
  return async (request: HistoryRequest): Promise<unknown> => {
    switch (request.type) {
      case 'history.search':
        return deps.history.search(request.query, request.after, request.limit);
      case 'history.get': {
        const job = await deps.history.get(request.jobId);
        if (!job) throw new UserError('not_found', 'Gridside has no record of this run.');
        return job;
      }
      case 'history.export':
        return deps.transfer.exportFile(request.format, request.query);
      case 'history.import':
        return deps.transfer.importFile(request.text);
    }
  };
}

/** History requests to `history`, every other privileged request to `options` (one channel, router.ts). */
export function withHistoryRequests(
  history: (request: HistoryRequest) => Promise<unknown>,
  options: OptionsHandler,
): OptionsHandler {
  return (request) => (isHistoryRequest(request) ? history(request as HistoryRequest) : options(request));
}
