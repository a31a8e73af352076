import { describe, expect, it } from 'vitest';
import { ConnectorError, type StartRun } from '../../../../src/background/connectors/connector.ts';
import { createStartTogether, SUBMITTING_AT_ONCE } from '../../../../src/background/jobs/start-together.ts';
import { sampleAction, sampleContext } from '../fake-orchestrator.ts';
import { fakeConnector } from '../history/fake-connector.ts';

const start = (ip: string): StartRun => ({ action: sampleAction(), params: { ip }, context: sampleContext });

/** A connector that starts many at once, recording each request's starts; `refuse` names IPs refused. */
function manyConnector(refuse: string[] = []) {
  const connector = fakeConnector();
  const requests: string[][] = [];
  connector.startRuns = async (starts) => {
    requests.push(starts.map((s) => s.params.ip!));
    return Promise.all(
      starts.map((s) =>
        refuse.includes(s.params.ip!)
          ? new ConnectorError('forbidden', `not ${s.params.ip}`)
          : connector.startRun(s),
      ),
    );
  };
  return { connector, requests };
}

describe('starting a batch’s rows together', () => {
  it('sends the starts made within a moment of each other as one request, each answered as its own', async () => {
    const { connector, requests } = manyConnector(['10.0.0.2']);
    const together = createStartTogether({ gatherMs: 20 });
    const answers = await Promise.allSettled(
      ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((ip) => together.start('main', connector, start(ip))),
    );
    expect(requests).toEqual([['10.0.0.1', '10.0.0.2', '10.0.0.3']]);
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value.params.ip : String(a.reason)))).toEqual([
      '10.0.0.1',
      'ConnectorError: not 10.0.0.2',
      '10.0.0.3',
    ]);
    // A later start is a request of its own; one alone goes as a plain start.
    await together.start('main', connector, start('10.0.0.4'));
    expect(requests).toHaveLength(1);
    expect(connector.starts.map((s) => s.params.ip)).toContain('10.0.0.4');
  });

  it('sends a group as soon as it holds as many starts as rows are submitted at once', async () => {
    const { connector, requests } = manyConnector();
    // A window far longer than the test: only a full group can leave.
    const together = createStartTogether({ gatherMs: 60_000 });
    const ips = Array.from({ length: SUBMITTING_AT_ONCE }, (_, i) => `10.0.3.${i}`);
    const answers = await Promise.all(ips.map((ip) => together.start('main', connector, start(ip))));
    expect(requests).toEqual([ips]);
    expect(answers.map((run) => run.params.ip)).toEqual(ips);
  });

  it('keeps orchestrators apart, and a full group or a large one goes at once', async () => {
    const main = manyConnector();
    const other = manyConnector();
    const together = createStartTogether({ gatherMs: 20, maxRuns: 2, maxBytes: 2_400 });
    const big = { ...start('10.0.1.9'), params: { ip: '10.0.1.9', note: 'x'.repeat(2_000) } };
    await Promise.all([
      together.start('main', main.connector, start('10.0.1.1')),
      together.start('other', other.connector, start('10.0.1.2')),
      together.start('main', main.connector, start('10.0.1.3')),
      together.start('main', main.connector, big),
      together.start('main', main.connector, start('10.0.1.4')),
    ]);
    // Two to a request at most; the large one did not fit beside another and went on (alone).
    expect(main.requests).toEqual([['10.0.1.1', '10.0.1.3']]);
    expect(main.connector.starts.map((s) => s.params.ip)).toEqual(
      expect.arrayContaining(['10.0.1.9', '10.0.1.4']),
    );
    expect(other.requests).toEqual([]);
    expect(other.connector.starts.map((s) => s.params.ip)).toEqual(['10.0.1.2']);
  });

  it('fails every start of a request that failed as a whole, and starts each alone where the engine cannot start many', async () => {
    const { connector } = manyConnector();
    connector.startRuns = async () => {
      throw new ConnectorError('timeout', 'The orchestrator did not answer in time.');
    };
    const together = createStartTogether({ gatherMs: 20 });
    const answers = await Promise.allSettled([
      together.start('main', connector, start('10.0.2.1')),
      together.start('main', connector, start('10.0.2.2')),
    ]);
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected']);
    // Nothing is sent again: the orchestrator may have started them.
    expect(connector.starts).toEqual([]);

    const plain = fakeConnector();
    await Promise.all([
      together.start('plain', plain, start('10.0.2.3')),
      together.start('plain', plain, start('10.0.2.4')),
    ]);
    expect(plain.starts.map((s) => s.params.ip)).toEqual(['10.0.2.3', '10.0.2.4']);
  });
});
