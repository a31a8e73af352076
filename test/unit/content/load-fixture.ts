import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Puts a saved grid fixture (test/fixtures/grids/) into the jsdom document and returns its container. */
export function loadGridFixture(name: string): HTMLElement {
  const html = readFileSync(join(import.meta.dirname, '../../fixtures/grids', name), 'utf8');
  document.body.replaceChildren();
  const container = document.createElement('div');
  // Test-only: the fixture is our own saved markup; the code under test never parses HTML.
  container.innerHTML = html;
  document.body.append(container);
  return container;
}

/** The cell of a row showing exactly `text` (first match). */
export function cellWithText(scope: ParentNode, selector: string, text: string): Element {
  const cell = [...scope.querySelectorAll(selector)].find((el) => el.textContent?.trim() === text);
  if (!cell) throw new Error(`no ${selector} with text ${text}`);
  return cell;
}
