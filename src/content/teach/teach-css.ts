/** Teach mode's styles, inside the overlay's shadow root (the page's styles never reach in). */
export const TEACH_CSS = `
.teach { position: fixed; inset: 0; pointer-events: none; font: 13px/1.4 system-ui, sans-serif; color: #1b1f24; }
.outline { position: fixed; box-sizing: border-box; pointer-events: none; border-radius: 2px; }
.outline.grid { border: 2px solid #1f5fbf; }
.outline.row { border: 1px dashed #2e7d32; }
.outline.row.checked { border: 2px solid #2e7d32; background: rgb(46 125 50 / 0.08); }
.outline.header { border: 2px solid #b35c00; background: rgb(179 92 0 / 0.06); }
.outline.hover { border: 2px dashed #6f42c1; background: rgb(111 66 193 / 0.08); }
.outline.header.pointed { background: rgb(179 92 0 / 0.18); }
.chip {
  position: fixed; pointer-events: none; max-width: 220px; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; padding: 1px 6px; border-radius: 8px; font: 600 11px/16px system-ui, sans-serif;
  color: #fff; background: #b35c00; box-shadow: 0 1px 2px rgb(0 0 0 / 0.3);
}
.chip.mapped { background: #2e7d32; }
.card, .picker {
  pointer-events: auto; position: fixed; box-sizing: border-box; background: #fff; border: 1px solid #8a949e;
  border-radius: 8px; box-shadow: 0 6px 24px rgb(0 0 0 / 0.25); padding: 12px;
}
.card { right: 16px; bottom: 16px; width: 360px; max-height: 70vh; overflow: auto; }
.card h2 { margin: 0 0 6px; font-size: 15px; }
.card p { margin: 0 0 8px; }
.problem { color: #a4000f; }
.columns { list-style: none; margin: 0 0 10px; padding: 0; max-height: 30vh; overflow: auto; }
.columns li { display: flex; justify-content: space-between; gap: 8px; padding: 2px 0; border-bottom: 1px solid #eef0f2; }
.columns li { align-items: center; }
.columns button.choose { border: 0; background: none; padding: 1px 4px; text-align: right; }
.columns button.choose:hover { text-decoration: underline; }
.columns .none { color: #6a737d; }
.buttons { display: flex; flex-wrap: wrap; gap: 6px; }
button {
  font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid #8a949e; background: #f6f8fa;
  color: inherit; cursor: pointer;
}
button.primary { background: #1f5fbf; border-color: #174a94; color: #fff; }
button:disabled { opacity: 0.5; cursor: default; }
button:focus-visible, input:focus-visible { outline: 2px solid #ffbf47; outline-offset: 1px; }
.picker { width: 300px; max-height: 360px; display: flex; flex-direction: column; gap: 6px; }
.picker h3 { margin: 0; font-size: 13px; }
.picker input { font: inherit; padding: 4px 6px; border: 1px solid #8a949e; border-radius: 4px; }
.picker ul { list-style: none; margin: 0; padding: 0; overflow: auto; }
.picker button.field { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 3px 6px; }
.picker button.field:hover, .picker button.field:focus-visible { background: #e8f0fb; }
.picker button.field small { color: #6a737d; margin-left: 6px; }
.toast {
  font: 13px/1.4 system-ui, sans-serif; position: fixed; right: 16px; bottom: 16px; max-width: 360px; pointer-events: none; padding: 10px 12px;
  border-radius: 8px; color: #fff; background: #2e7d32; box-shadow: 0 4px 16px rgb(0 0 0 / 0.25);
}
@media (prefers-color-scheme: dark) {
  .teach { color: #e6edf3; }
  .card, .picker { background: #161b22; border-color: #57606a; }
  button { background: #21262d; border-color: #57606a; }
  .columns li { border-color: #30363d; }
}
`;
