import { describe, expect, it } from 'vitest';
import { createChunkInjector } from '../../../../src/background/sites/content-chunks.ts';

const BUILD = {
  script: 'content/gridside.js',
  chunks: {
    'content/panel-app-X.js': ['content/chunk-A.js', 'content/panel-app-X.js'],
    'content/row-marks-view-Y.js': ['content/row-marks-view-Y.js'],
  },
};

function injector() {
  const injected: { target: { tabId: number; frameIds: number[] }; files: string[] }[] = [];
  const inject = createChunkInjector({
    scripting: {
      async executeScript(injection) {
        injected.push(injection);
        return [];
      },
    },
    build: BUILD,
  });
  return { inject, injected };
}

describe('lazily loaded content script chunks', () => {
  it('injects a chunk and the chunks it needs into the frame that asked, in order', async () => {
    const { inject, injected } = injector();
    await expect(inject('content/panel-app-X.js', { tabId: 7, frameId: 3 })).resolves.toEqual({
      file: 'content/panel-app-X.js',
    });
    expect(injected).toEqual([
      { target: { tabId: 7, frameIds: [3] }, files: ['content/chunk-A.js', 'content/panel-app-X.js'] },
    ]);
  });

  it('injects nothing a console names that is not a chunk of the build', async () => {
    const { inject, injected } = injector();
    for (const file of ['content/gridside.js', 'src/options/index.html', 'constructor', '__proto__']) {
      await expect(inject(file, { tabId: 7, frameId: 0 })).rejects.toMatchObject({ code: 'not_found' });
    }
    expect(injected).toEqual([]);
  });
});
