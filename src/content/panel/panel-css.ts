/**
 * The panel's styles, inside the closed shadow root: the page's CSS cannot reach them, nor they the page.
 * Its opening rise animates `translate`, never `transform`: the panel is placed by an inline `transform`,
 * which a keyframe on `transform` would replace, flying the panel in from the window's corner.
 */
export const PANEL_CSS = `
:host { all: initial !important; }
/* --room: the tallest the panel may be beside its row (placement.ts), set on it when it is placed. */
.panel {
  --bg: #ffffff; --fg: #1b1f24; --muted: #5b6470; --line: #d5dae1; --soft: #f3f5f8; --accent: #1f5fbf;
  --bad: #b42318; --bad-bg: #fde8e6; --warn: #8a5300; --warn-bg: #fff3d6; --good: #1a7f37; --good-bg: #e3f5e8;
  --info: #33506e; --info-bg: #e6edf5;
  position: fixed; top: 0; left: 0; box-sizing: border-box; width: min(440px, calc(100vw - 16px));
  max-height: min(600px, calc(100vh - 16px), var(--room, 600px)); display: flex; flex-direction: column;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);
  border: 1px solid var(--line); border-radius: 8px; box-shadow: 0 8px 28px rgb(0 0 0 / 0.25); text-align: left;
}
@media (prefers-color-scheme: dark) {
  .panel { --bg: #1d2127; --fg: #e6e9ee; --muted: #9aa4b1; --line: #3a414b; --soft: #262b33; --accent: #6b9ae8;
    --bad: #ff9b8f; --bad-bg: #4a1f1b; --warn: #ffd27a; --warn-bg: #45360f; --good: #7fd894; --good-bg: #173a22;
    --info: #a9c2de; --info-bg: #22303f; }
}
@media (prefers-reduced-motion: no-preference) {
  .panel { animation: gs-in 120ms ease-out; }
  @keyframes gs-in { from { opacity: 0; translate: 0 4px; } }
}
* { box-sizing: border-box; }
header { display: flex; align-items: center; gap: 8px; padding: 8px 10px; border-bottom: 1px solid var(--line);
  cursor: move; user-select: none; }
header h2 { font-size: 13px; margin: 0; flex: 1; }
/* Columns that map to no field, and the way into teach mode. */
.unmapped { margin: 0; padding: 6px 12px; border-bottom: 1px solid var(--line); background: var(--warn-bg); color: var(--warn); font-size: 12px; }
details.unmapped { background: var(--soft); color: var(--muted); }
.unmapped p { margin: 4px 0; }
.unmapped summary { cursor: pointer; }
.unmapped .labels { font-weight: 600; }
.unmapped .teach-link { margin: 2px 0 4px; }
header .key { font-weight: 400; color: var(--muted); font-size: 12px; display: block; }
.body { overflow: auto; padding: 10px; display: flex; flex-direction: column; gap: 8px; }
button { font: inherit; color: inherit; background: var(--soft); border: 1px solid var(--line); border-radius: 5px;
  padding: 3px 9px; cursor: pointer; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button:disabled { opacity: 0.55; cursor: not-allowed; }
button:focus-visible, input:focus-visible, summary:focus-visible, .action:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.icon { padding: 0 6px; border: none; background: none; font-size: 16px; line-height: 1; }
input[type=text], input[type=search] { font: inherit; color: inherit; background: var(--bg); width: 100%;
  border: 1px solid var(--line); border-radius: 5px; padding: 4px 6px; }
.actions { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; }
.action { display: block; width: 100%; text-align: left; padding: 6px 8px; background: var(--bg); }
.action:hover:not(:disabled) { background: var(--soft); }
.action .name { font-weight: 600; }
.action .plugin, .hint, .muted { color: var(--muted); font-size: 12px; }
.action.lacking { opacity: 0.7; }
.badge { display: inline-block; font-size: 11px; border-radius: 9px; padding: 0 6px; margin-left: 4px;
  background: var(--info-bg); color: var(--info); }
.badge.changes { background: var(--warn-bg); color: var(--warn); }
label { display: block; font-weight: 600; margin-bottom: 2px; }
.param { display: flex; flex-direction: column; }
.required { color: var(--bad); }
.readonly { color: var(--muted); font-style: italic; }
.row-buttons { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
.warning { background: var(--warn-bg); color: var(--warn); border-radius: 5px; padding: 6px 8px; }
.error { background: var(--bad-bg); color: var(--bad); border-radius: 5px; padding: 6px 8px; }
.sent { margin: 0; padding: 0; list-style: none; }
.sent li { font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
.sent:focus { outline: none; }
.hidden-char, .hidden-chars { color: var(--warn); font-weight: 600; }
.status { font-weight: 600; }
/* A run's lines sit on the body's own 8 px rhythm, not on paragraph margins. */
.run { display: flex; flex-direction: column; gap: 8px; }
.run > p, .error > p { margin: 0; }
.error > p + p { margin-top: 4px; }
.approvals { margin: 0; padding-left: 18px; }
.chips { display: flex; flex-wrap: wrap; gap: 4px; list-style: none; margin: 0; padding: 0; }
.chip { border-radius: 10px; padding: 1px 8px; font-size: 12px; border: 1px solid transparent; }
.chip.malicious { background: var(--bad-bg); color: var(--bad); border-color: var(--bad); }
.chip.suspicious { background: var(--warn-bg); color: var(--warn); border-color: var(--warn); }
.chip.safe { background: var(--good-bg); color: var(--good); border-color: var(--good); }
.chip.info { background: var(--info-bg); color: var(--info); border-color: var(--info); }
pre { margin: 0; padding: 6px 8px; background: var(--soft); border-radius: 5px; max-height: 260px; overflow: auto;
  white-space: pre-wrap; word-break: break-word; font: 12px/1.4 ui-monospace, "Cascadia Mono", monospace; }
details > summary { cursor: pointer; color: var(--muted); }
.tree { font: 12px/1.5 ui-monospace, monospace; margin: 0; padding-left: 14px; list-style: none; }
.tree .k { color: var(--accent); }
.batch-offer { margin-top: 8px; }
.batch progress { width: 100%; }
.batch-rows { margin: 6px 0; padding: 0; list-style: none; }
.batch-rows li { border-top: 1px solid var(--line); padding: 4px 0; }
.batch-row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.batch-rows .reason { margin: 2px 0 0; color: var(--bad); font-size: 12px; overflow-wrap: anywhere; }
.pivots { display: flex; flex-direction: column; gap: 4px; }
.pivot-chip { background: var(--soft); border-color: var(--line); font-family: ui-monospace, monospace; word-break: break-all; text-align: left; }
.pivot-chip[aria-pressed=true] { border-color: var(--accent); }
.pivot-type { font-family: system-ui, sans-serif; font-weight: 600; color: var(--accent); }
.output-frame { display: block; width: 100%; border: 0; background: var(--bg); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
