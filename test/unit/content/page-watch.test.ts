// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import type { GridAdapter } from '../../../src/content/grid/grid-adapter.ts';
import { createPageWatch } from '../../../src/content/page-watch.ts';

/** MutationObserver callbacks run as microtasks: let them. */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('page watch', () => {
  it('reports changes under each watched element, and takes an element on only once', async () => {
    const grid = document.createElement('div');
    document.body.append(grid);
    const changes = vi.fn();
    const controller = new AbortController();
    const watch = createPageWatch(changes, controller.signal);
    watch.watch(grid, { childList: true, subtree: true });
    watch.watch(grid, { childList: true, subtree: true });
    expect(watch.size).toBe(1);

    grid.append(document.createElement('span'));
    await flush();
    expect(changes).toHaveBeenCalledTimes(1);
    expect(changes.mock.calls[0]?.[0]).toHaveLength(1); // one record, not one per watch() call
    controller.abort();
    grid.remove();
  });

  it('watches a grid where its adapter says rows change, attributes included', async () => {
    const root = document.createElement('div');
    const body = document.createElement('div');
    const row = document.createElement('div');
    root.append(body);
    body.append(row);
    document.body.append(root);
    const adapter = { watchTarget: () => body, watchAttributes: ['row-index'] } as unknown as GridAdapter;
    const changes = vi.fn();
    const controller = new AbortController();
    const watch = createPageWatch(changes, controller.signal);
    watch.watchGrid(adapter, root);

    row.setAttribute('class', 'not-watched');
    await flush();
    expect(changes).not.toHaveBeenCalled();
    row.setAttribute('row-index', '7');
    await flush();
    expect(changes).toHaveBeenCalledTimes(1);
    expect(changes.mock.calls[0]?.[0][0]).toMatchObject({ type: 'attributes', attributeName: 'row-index' });
    controller.abort();
    root.remove();
  });

  it('stops on teardown and on stop(), and watches nothing more after teardown', async () => {
    const page = document.createElement('div');
    document.body.append(page);
    const changes = vi.fn();
    const controller = new AbortController();
    const watch = createPageWatch(changes, controller.signal);
    watch.watch(page, { childList: true });
    controller.abort();
    expect(watch.size).toBe(0);
    page.append(document.createElement('span'));
    watch.watch(page, { childList: true });
    page.append(document.createElement('span'));
    await flush();
    expect(changes).not.toHaveBeenCalled();

    const early = createPageWatch(changes, new AbortController().signal);
    early.watch(page, { childList: true });
    early.stop();
    page.append(document.createElement('span'));
    await flush();
    expect(changes).not.toHaveBeenCalled();
    page.remove();
  });
});

describe('page watch, paused while the page moves', () => {
  it('reports nothing while paused, and changes again after resume, for every element it watched', async () => {
    const first = document.createElement('div');
    const second = document.createElement('div');
    document.body.append(first, second);
    const changes = vi.fn();
    const controller = new AbortController();
    const watch = createPageWatch(changes, controller.signal);
    watch.watch(first, { childList: true });
    watch.pause();
    watch.watch(second, { childList: true }); // taken on while paused: watched from the resume
    first.append(document.createElement('span'));
    second.append(document.createElement('span'));
    await flush();
    expect(changes).not.toHaveBeenCalled();
    watch.resume();
    first.append(document.createElement('span'));
    await flush();
    second.append(document.createElement('span'));
    await flush();
    expect(changes).toHaveBeenCalledTimes(2);
    controller.abort();
    first.remove();
    second.remove();
  });
});
