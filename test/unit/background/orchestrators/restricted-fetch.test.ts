import { describe, expect, it, vi } from 'vitest';
import { ConnectorError } from '../../../../src/background/connectors/connector.ts';
import {
  createRestrictedFetch,
  fetchForOrigin,
} from '../../../../src/background/orchestrators/restricted-fetch.ts';

const ORCHESTRATOR = 'https://orchestrator.example.com';

function setup(allowed: string[] = [ORCHESTRATOR]) {
  const baseFetch = vi.fn(async () => new Response('{}'));
  const restricted = createRestrictedFetch({ allowedOrigins: () => allowed, baseFetch });
  return { baseFetch, restricted };
}

describe('restricted fetch', () => {
  it('lets requests to a configured orchestrator through, without cookies', async () => {
    const { baseFetch, restricted } = setup();
    await restricted(`${ORCHESTRATOR}/api/v1/actions`);
    expect(baseFetch).toHaveBeenCalledTimes(1);
    expect(baseFetch.mock.calls[0]).toMatchObject([
      `${ORCHESTRATOR}/api/v1/actions`,
      { credentials: 'omit', redirect: 'error' },
    ]);
  });

  it.each([
    'https://attacker.example.com/collect',
    'https://orchestrator.example.com.attacker.example/',
    'http://orchestrator.example.com/api/v1/actions',
    'https://orchestrator.example.com:8443/',
    'not a url',
  ])('refuses %s and never touches the network', async (url) => {
    const { baseFetch, restricted } = setup();
    const error = await restricted(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe('refused');
    expect(baseFetch).not.toHaveBeenCalled();
  });

  it('reads the allowed origins on every call, so a removed orchestrator is refused at once', async () => {
    const allowed = [ORCHESTRATOR];
    const { baseFetch, restricted } = setup(allowed);
    allowed.pop();
    await expect(restricted(`${ORCHESTRATOR}/`)).rejects.toMatchObject({ code: 'refused' });
    expect(baseFetch).not.toHaveBeenCalled();
  });

  it('narrows to one origin for a connector', async () => {
    const other = 'https://other-orchestrator.example.com';
    const { baseFetch, restricted } = setup([ORCHESTRATOR, other]);
    const forOne = fetchForOrigin(ORCHESTRATOR, restricted);
    await expect(forOne(`${other}/api/v1/actions`)).rejects.toMatchObject({ code: 'refused' });
    await forOne(new URL(`${ORCHESTRATOR}/api/v1/health`));
    expect(baseFetch).toHaveBeenCalledTimes(1);
  });
});
