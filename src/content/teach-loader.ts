import type { ContentSession } from './content-session.ts';

/**
 * Starts "Teach Gridside this grid". Its code (Preact, the outlines, the field picker, selector
 * derivation) is loaded on first use with a dynamic import, so the script every console page runs stays
 * small. Called only for real user input: a click in Gridside's panel, or the toolbar popup's push.
 */

type TeachModule = typeof import('./teach/teach-app.tsx');
let teachModule: Promise<TeachModule> | null = null;

export function openTeach(session: ContentSession, signal: AbortSignal): void {
  teachModule ??= import('./teach/teach-app.tsx');
  teachModule.then(
    (teach) => teach.showTeach(session, signal),
    (error: unknown) => console.error('Gridside: teach mode could not be loaded', error),
  );
}
