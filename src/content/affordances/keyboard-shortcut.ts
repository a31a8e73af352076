import type { ContentFeature } from '../content-session.ts';
import { focusedRow, settledFocusedRow } from './focused-row.ts';

/**
 * Alt+Shift+R with focus in a grid row opens the panel for that row. It is the extension command's
 * default key: where the browser routes the command to the background (which pushes `panel.open` with
 * source 'command'), the page never sees the keystroke; where it is unbound (Firefox before the user
 * confirms it, or a key reassigned), this page-level listener is the fallback. It only acts when focus
 * is inside a grid row, and Alt+Shift+R is not a key any grid here uses, so grid navigation is untouched.
 */
export const keyboardShortcut: ContentFeature = {
  id: 'keyboard-shortcut',
  init(session, signal) {
    window.addEventListener(
      'keydown',
      (event) => {
        if (!session.isUserInput(event) || event.repeat) return;
        if (!(event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyR'))
          return;
        const hit = focusedRow(session);
        if (hit) {
          event.preventDefault();
          event.stopPropagation();
          session.openPanel(hit, 'shortcut', document.activeElement);
          return;
        }
        // The grid may be redrawing its focus mark this very moment: look again for a few frames.
        void settledFocusedRow(session).then((later) => {
          if (later && !signal.aborted) session.openPanel(later, 'shortcut', document.activeElement);
        });
      },
      { capture: true, signal },
    );
  },
};
