// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOverlayHost, type OverlayHost } from '../../../../src/content/overlay-host.ts';
import { enterPageModal, leavePageModal, pageModalOf } from '../../../../src/content/panel/page-modal.ts';

/**
 * Where Gridside's host lives while the panel is open on a row inside a page's own (script-driven) modal
 * dialog. The real focus traps are proven in Chromium (test/e2e/modal-grids.e2e.ts); this pins the rules.
 */

let overlay: OverlayHost;

/** Lets mutation observers run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function dialogWithRow(attributes: Record<string, string>): { dialog: HTMLElement; row: HTMLElement } {
  const portal = document.createElement('div');
  const dialog = document.createElement('div');
  for (const [name, value] of Object.entries(attributes)) dialog.setAttribute(name, value);
  const grid = document.createElement('div');
  grid.setAttribute('role', 'grid');
  const row = document.createElement('div');
  row.setAttribute('role', 'row');
  grid.append(row);
  dialog.append(grid);
  portal.append(dialog);
  document.body.append(portal);
  return { dialog, row };
}

beforeEach(() => {
  document.body.replaceChildren();
  overlay = createOverlayHost();
});

afterEach(() => {
  leavePageModal(overlay, 'panel');
  leavePageModal(overlay, 'pins');
  overlay.dispose();
});

describe('pageModalOf', () => {
  it('finds the nearest ARIA modal or dialog role above the element', () => {
    const { dialog, row } = dialogWithRow({ role: 'dialog', 'aria-modal': 'true' });
    expect(pageModalOf(row)).toBe(dialog);
    expect(pageModalOf(dialogWithRow({ role: 'alertdialog' }).row)?.getAttribute('role')).toBe('alertdialog');
    expect(pageModalOf(dialogWithRow({ class: 'plain' }).row)).toBeNull();
    expect(pageModalOf(null)).toBeNull();
  });

  it('looks across shadow roots: a grid in a web component inside the dialog', () => {
    const { dialog, row } = dialogWithRow({ 'aria-modal': 'true' });
    const component = document.createElement('x-grid');
    const root = component.attachShadow({ mode: 'open' });
    const inner = document.createElement('div');
    root.append(inner);
    row.append(component);
    expect(pageModalOf(inner)).toBe(dialog);
  });
});

describe('enterPageModal', () => {
  it('puts the host inside the dialog of the row, and back at the end of <html> when the panel leaves', () => {
    const { dialog, row } = dialogWithRow({ role: 'dialog', 'aria-modal': 'true' });
    enterPageModal(overlay, 'panel', row);
    expect(overlay.host.parentElement).toBe(dialog);
    leavePageModal(overlay, 'panel');
    expect(overlay.host.parentElement).toBe(document.documentElement);
  });

  it('leaves the host where it is for a row outside any dialog, or when opened from its own UI', () => {
    const { dialog, row } = dialogWithRow({ role: 'dialog', 'aria-modal': 'true' });
    enterPageModal(overlay, 'panel', document.body);
    expect(overlay.host.parentElement).toBe(document.documentElement);
    enterPageModal(overlay, 'panel', row);
    enterPageModal(overlay, 'panel', overlay.host);
    expect(overlay.host.parentElement, 'focus in the panel itself keeps it in the dialog').toBe(dialog);
    enterPageModal(overlay, 'panel', document.body);
    expect(overlay.host.parentElement).toBe(document.documentElement);
  });

  it('keeps the host in the dialog while another view opened on its rows is still open', () => {
    const { dialog, row } = dialogWithRow({ role: 'dialog', 'aria-modal': 'true' });
    enterPageModal(overlay, 'panel', row);
    enterPageModal(overlay, 'pins', row);
    leavePageModal(overlay, 'pins');
    expect(overlay.host.parentElement, 'the panel is still open on a row of the dialog').toBe(dialog);
    // A view opened on a row outside the dialog: the dialog's trap would take focus from anywhere else.
    enterPageModal(overlay, 'pins', document.body);
    expect(overlay.host.parentElement, 'still inside the dialog while the panel holds it').toBe(dialog);
    leavePageModal(overlay, 'pins');
    expect(overlay.host.parentElement).toBe(dialog);
    leavePageModal(overlay, 'panel');
    expect(overlay.host.parentElement).toBe(document.documentElement);
  });

  it('takes the host back when the page removes its dialog', async () => {
    const { dialog, row } = dialogWithRow({ role: 'dialog', 'aria-modal': 'true' });
    enterPageModal(overlay, 'panel', row);
    dialog.parentElement!.remove();
    await settle();
    expect(overlay.host.parentElement).toBe(document.documentElement);
  });

  it('takes the host back when the page hides its dialog', async () => {
    const { dialog, row } = dialogWithRow({ role: 'dialog', 'aria-modal': 'true' });
    (dialog as HTMLElement & { checkVisibility: () => boolean }).checkVisibility = () =>
      dialog.style.display !== 'none';
    enterPageModal(overlay, 'panel', row);
    expect(overlay.host.parentElement).toBe(dialog);
    dialog.style.display = 'none';
    await settle();
    expect(overlay.host.parentElement).toBe(document.documentElement);
  });
});
