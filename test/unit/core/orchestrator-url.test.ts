import { expect, it } from 'vitest';
import { plainHttpProblem } from '../../../src/core/orchestrator-url.ts';

it('accepts https anywhere and plain http only on this machine', () => {
  for (const url of [
    'https://orchestrator.soc.example.com',
    'https://10.0.0.5:8787/',
    'http://localhost:8787/',
    'http://demo.localhost/',
    'http://127.0.0.1:8787',
    'http://127.1.2.3/',
    'http://[::1]:8787/',
  ])
    expect(plainHttpProblem(url), url).toBeUndefined();
  for (const url of [
    'http://orchestrator.soc.example.com',
    'http://10.0.0.5:8787/',
    'http://0.0.0.0:8787/',
    'http://localhost.evil.example/',
    'http://127.0.0.1.nip.example/',
    'http://[::2]/',
  ])
    expect(plainHttpProblem(url), url).toMatch(
      /will not use the orchestrator at http:\/\/.* over plain http/,
    );
});
