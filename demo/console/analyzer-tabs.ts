/**
 * Logs / Alarms tabs. The URL hash picks the tab (#logs, #alarms) so a link or a test can open either one
 * directly.
 */

const TABS = ['logs', 'alarms'] as const;
type Tab = (typeof TABS)[number];

function currentTab(): Tab {
  const wanted = location.hash.slice(1);
  return (TABS as readonly string[]).includes(wanted) ? (wanted as Tab) : 'logs';
}

function show(tab: Tab): void {
  for (const name of TABS) {
    const selected = name === tab;
    document.getElementById(`tab-${name}`)?.setAttribute('aria-selected', String(selected));
    const panel = document.getElementById(`${name}-panel`);
    if (panel) panel.hidden = !selected;
  }
}

export function bindTabs(): void {
  window.addEventListener('hashchange', () => show(currentTab()));
  show(currentTab());
}
