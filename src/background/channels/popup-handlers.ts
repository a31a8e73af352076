import { answerWith, type HandlerTable } from '../../core/channel.ts';
import type { RepliesFrom } from '../../core/page-channel.ts';
import type { POPUP_REPLIES, PopupRequest } from '../../core/popup-messages.ts';
import type { ApprovalWatch } from '../approvals/approvals.ts';
import type { AutoEnrichSwitch } from '../auto-enrich/auto-enrich-switch.ts';
import type { SiteAccessService } from '../sites/site-access.ts';
import { UserError } from '../user-error.ts';
import type { PopupHandler } from './router.ts';

/** The toolbar popup's requests: only the popup page reaches this (router.ts checks the sender's URL). */
export function createPopupHandler(deps: {
  approvals: ApprovalWatch;
  site: SiteAccessService;
  /** Starts teach mode in a console tab (teach-open.ts). */
  teach?: (tabId: number) => Promise<{ opened: true }>;
  /** This site's auto-enrichment switch and budget (auto-enrich/auto-enrich-switch.ts). */
  autoEnrich?: AutoEnrichSwitch;
}): PopupHandler {
  const autoEnrich = () => {
    if (!deps.autoEnrich) throw new UserError('bad_request', 'Gridside does not understand this request.');
    return deps.autoEnrich;
  };
  const table: HandlerTable<PopupRequest, RepliesFrom<typeof POPUP_REPLIES>> = {
    'approvals.list': () => deps.approvals.refresh(),
    'approvals.decide': ({ orchestratorId, runId, decision, comment }) =>
      deps.approvals.decide({ orchestratorId, runId, decision, comment }),
    'site.get': (request) => deps.site.get(request.origin),
    'site.enable': (request) => deps.site.enable(request.origin),
    'site.disable': (request) => deps.site.disable(request.origin),
    'teach.open': async (request) => {
      if (!deps.teach) throw new UserError('bad_request', 'Gridside does not understand this request.');
      return deps.teach(request.tabId);
    },
    'auto.get': (request) => autoEnrich().get(request.origin),
    'auto.set': (request) => autoEnrich().set(request.origin, request.enabled),
  };
  return answerWith(table);
}
