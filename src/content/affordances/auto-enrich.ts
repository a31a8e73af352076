import type { ContentFeature, ContentSession } from '../content-session.ts';
import { marksStale, onRowsSettled } from '../rows-settled.ts';
import type { Proposer } from './auto-enrich-propose.ts';

/**
 * In-grid auto-enrichment, the page's part (docs/auto-enrichment.md): when the rows on screen have settled
 * (the row marks just had their answer, after a scroll came to rest: no scroll listener of its own), the
 * rows still on screen are proposed to the worker with only the fields its rules read
 * (auto-enrich-propose.ts, loaded the first time this console has a rule switched on). The page decides
 * nothing: the worker checks the switch, the rules, that the action is read-only, the cache, the budget
 * and the cap. Nothing is proposed while the tab is hidden. The verdicts come back as the rows' "Auto"
 * chips through the row marks.
 */
export const autoEnrich: ContentFeature = {
  id: 'auto-enrich',
  init(session: ContentSession, signal: AbortSignal) {
    let proposer: Promise<Proposer> | null = null;

    /** `fields`: what the rules read here, as the marks' answer about the rows on screen gave them. */
    const wake = async (fields: string[]) => {
      if (signal.aborted || document.visibilityState !== 'visible') return;
      if (!proposer) {
        if (fields.length === 0) return;
        proposer = import('./auto-enrich-propose.ts').then((module) =>
          module.createProposer(session, signal),
        );
      }
      (await proposer).propose();
    };

    onRowsSettled((fields) => void wake(fields), signal);
    // Back from another tab: the rows on screen may never have been proposed, and their marks may have
    // changed meanwhile. The marks ask again, and their answer wakes this.
    document.addEventListener(
      'visibilitychange',
      () => {
        if (document.visibilityState === 'visible') marksStale();
        else void proposer?.then((p) => p.pause());
      },
      { signal },
    );
  },
};
