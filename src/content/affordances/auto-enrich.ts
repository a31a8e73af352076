import { ask } from '../background-channel.ts';
import type { ContentFeature, ContentSession } from '../content-session.ts';
import { onRowsSettled } from '../rows-settled.ts';
import type { Proposer } from './auto-enrich-propose.ts';

/**
 * In-grid auto-enrichment, the page's part (docs/auto-enrichment.md): when the rows on screen have settled
 * (the row marks just asked about them, after a scroll came to rest: no scroll listener of its own), the
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

    const wake = async () => {
      if (signal.aborted || document.visibilityState !== 'visible') return;
      if (!proposer) {
        const wanted = await ask({ type: 'auto.fields' });
        if (!wanted.ok || wanted.data.fields.length === 0 || signal.aborted) return;
        proposer ??= import('./auto-enrich-propose.ts').then((module) =>
          module.createProposer(session, signal),
        );
      }
      (await proposer).propose();
    };

    onRowsSettled(() => void wake(), signal);
    // Back from another tab: the rows on screen may never have been proposed.
    document.addEventListener(
      'visibilitychange',
      () => {
        if (document.visibilityState === 'visible') void wake();
        else void proposer?.then((p) => p.pause());
      },
      { signal },
    );
  },
};
