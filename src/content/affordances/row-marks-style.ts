/**
 * How the row marks look (row-marks.ts): the pin of pinned results and the amber "Approve" with its pending
 * ring. Both icons are drawn in CSS: an emoji is a blank box on machines without an emoji font.
 */

export const MARKER_HEIGHT = 18;

export const ROW_MARKS_CSS = `
.pin-marker {
  position: fixed; top: 0; left: 0; box-sizing: border-box; height: ${MARKER_HEIGHT}px; padding: 0 5px;
  display: none; align-items: center; gap: 2px; contain: layout paint; will-change: transform;
  font: 600 11px/1 system-ui, sans-serif; color: #5c3d00; background: #fff3c4; border: 1px solid #d9a400;
  border-radius: 9px; cursor: pointer; white-space: nowrap; box-shadow: 0 1px 2px rgb(0 0 0 / 0.25);
}
.pin-marker::before {
  content: ''; width: 7px; height: 7px; margin: 0 2px 2px 0; background: currentColor;
  border-radius: 50% 50% 50% 0; transform: rotate(-45deg);
}
.pin-marker[data-shown] { display: inline-flex; }
.pin-marker:hover { background: #ffe58a; }
.pin-marker:focus-visible { outline: 2px solid #1f5fbf; outline-offset: 1px; }
@media (prefers-color-scheme: dark) { .pin-marker { color: #ffe9a8; background: #4a3a08; border-color: #b38a00; } }
.approval-mark {
  position: fixed; top: 0; left: 0; box-sizing: border-box; height: ${MARKER_HEIGHT}px; padding: 0 6px;
  display: none; align-items: center; gap: 3px; contain: layout paint; will-change: transform;
  font: 600 11px/1 system-ui, sans-serif; color: #fff; background: #b45309; border: 1px solid #8a3d05;
  border-radius: 9px; cursor: pointer; white-space: nowrap; box-shadow: 0 1px 2px rgb(0 0 0 / 0.3);
}
.approval-mark::before {
  content: ''; width: 6px; height: 6px; border-radius: 50%; border: 2px solid currentColor;
  border-top-color: transparent; transform: rotate(45deg);
}
.approval-mark[data-shown] { display: inline-flex; }
.approval-mark:hover { background: #92400e; }
.approval-mark:focus-visible { outline: 2px solid #1f5fbf; outline-offset: 1px; }
`;
/** Space between a row's approval mark and its pin marker. */
export const MARK_GAP = 4;
