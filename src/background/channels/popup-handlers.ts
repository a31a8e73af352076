import { isPopupRequest, type PopupRequest } from '../../core/popup-messages.ts';
import type { ApprovalWatch } from '../approvals/approvals.ts';
import type { SiteAccessService } from '../sites/site-access.ts';
import { UserError } from '../user-error.ts';
import type { OptionsHandler } from './router.ts';

/** The toolbar popup's requests (privileged channel: router.ts only lets extension pages through). */
export type PopupHandler = (request: PopupRequest) => Promise<unknown>;

export function createPopupHandler(deps: {
  approvals: ApprovalWatch;
  site: SiteAccessService;
  /** Starts teach mode in a console tab (teach-open.ts). */
  teach?: (tabId: number) => Promise<unknown>;
}): PopupHandler {
  return async (request) => {
    switch (request.type) {
      case 'approvals.list':
        return deps.approvals.refresh();
      case 'approvals.decide': {
        const { orchestratorId, runId, decision, comment } = request;
        return deps.approvals.decide({ orchestratorId, runId, decision, comment });
      }
      case 'site.get':
        return deps.site.get(request.origin);
      case 'site.enable':
        return deps.site.enable(request.origin);
      case 'site.disable':
        return deps.site.disable(request.origin);
      case 'teach.open':
        if (!deps.teach) throw new UserError('bad_request', 'Gridside does not understand this request.');
        return deps.teach(request.tabId);
    }
  };
}

/** Routes the popup's requests on the shared privileged channel; everything else goes to `options`. */
export function withPopupRequests(popup: PopupHandler, options: OptionsHandler): OptionsHandler {
  return (request) => (isPopupRequest(request) ? popup(request) : options(request));
}
