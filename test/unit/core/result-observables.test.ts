import { describe, expect, it } from 'vitest';
import { CortexReportSchema, outputOfReport } from '../../../src/background/connectors/cortex-map.ts';
import { withObservables } from '../../../src/background/connectors/result-observables.ts';
import { RunOutputSchema } from '../../../src/core/api.ts';
import {
  MAX_RESULT_OBSERVABLES,
  observablesOfArtifacts,
  observablesOfOutput,
} from '../../../src/core/result-observables.ts';
import { engineFixture } from '../../support/engine-servers.ts';

interface CortexJob {
  data: string;
  report: Record<string, unknown>;
}
const RECORDED = engineFixture<CortexJob>('cortex/job_report_abuse_finder.cortexdocs-api-guide.json');

describe('observables a Cortex report names', () => {
  it('turns the report’s artifacts into typed observables, skipping the analysed value and other types', () => {
    // The recorded report has no artifacts; these follow the analyzer guide's `{ dataType, data }` model.
    const report = CortexReportSchema.parse({
      ...RECORDED.report,
      artifacts: [
        { dataType: 'ip', data: '8.8.4.4' },
        { dataType: 'ip', data: '8.8.8.8' },
        { dataType: 'fqdn', data: 'dns.google' },
        { dataType: 'hash', data: 'd41d8cd98f00b204e9800998ecf8427e' },
        { dataType: 'url', data: 'https://abuse.example.net/report?id=1' },
        { dataType: 'mail', data: 'network-abuse@google.com' },
        { dataType: 'ip', data: 'not-an-address' },
        { dataType: 'ip', data: '8.8.4.4' },
        'garbage',
      ],
    });
    const output = outputOfReport(report, RECORDED.data);
    expect(output.observables).toEqual([
      { type: 'ip', value: '8.8.4.4' },
      { type: 'domain', value: 'dns.google' },
      { type: 'hash', value: 'd41d8cd98f00b204e9800998ecf8427e' },
      { type: 'url', value: 'https://abuse.example.net/report?id=1' },
    ]);
    expect(RunOutputSchema.parse(output).observables).toHaveLength(4);
  });

  it('gives none for the recorded report, whose artifacts are empty', () => {
    const output = outputOfReport(CortexReportSchema.parse(RECORDED.report), RECORDED.data);
    expect(output.observables).toEqual([]);
  });

  it('keeps at most the limit', () => {
    const many = Array.from({ length: 80 }, (_, i) => ({
      dataType: 'ip',
      data: `10.0.${i >> 8}.${i & 255}`,
    }));
    expect(observablesOfArtifacts(many)).toHaveLength(MAX_RESULT_OBSERVABLES);
  });
});

describe('observables in a plugin’s output', () => {
  it('finds addresses, domains, hashes and URLs in JSON strings and in text, once each', () => {
    const found = observablesOfOutput(
      {
        stdout:
          'Seen from 203.0.113.9, contacted evil.example.org: see http://x.example.org/a.\n203.0.113.9 again, wrote report.json',
        data: {
          source: '198.51.100.7',
          peers: ['203.0.113.9', { sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' }],
          note: 'resolves to 192.0.2.44 (cached)',
          dropped: 'invoice.exe',
          count: 12,
          when: '2026-12-04T10:00:00Z',
        },
      },
      ['198.51.100.7'],
    );
    expect(found).toEqual([
      { type: 'ip', value: '203.0.113.9' },
      { type: 'hash', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
      { type: 'ip', value: '192.0.2.44' },
      { type: 'domain', value: 'evil.example.org' },
      { type: 'url', value: 'http://x.example.org/a' },
    ]);
  });

  it('is bounded on huge output', () => {
    const stdout = Array.from({ length: 5_000 }, (_, i) => `10.1.${i >> 8}.${i & 255}`).join(' ');
    expect(observablesOfOutput({ stdout })).toHaveLength(MAX_RESULT_OBSERVABLES);
    expect(observablesOfOutput({ stdout: 'x'.repeat(1_000_000) })).toEqual([]);
  });

  it('is added to a finished run that has none, and left alone on one that has its own', () => {
    const run = {
      id: 'r1',
      actionId: 'a',
      actionName: 'A',
      status: 'succeeded' as const,
      requestedBy: '',
      params: {},
      alarmId: null,
      rowKey: null,
      approvals: [],
      output: {
        stdout: '{"ip":"203.0.113.5"}',
        stderr: '',
        exitCode: 0,
        truncated: false,
        data: { ip: '203.0.113.5' },
      },
      reason: null,
      timing: { createdAt: '', startedAt: null, finishedAt: null, durationMs: null },
    };
    expect(withObservables(run, []).output?.observables).toEqual([{ type: 'ip', value: '203.0.113.5' }]);
    expect(withObservables(run, ['203.0.113.5']).output?.observables).toEqual([]);
    const own = { ...run, output: { ...run.output, observables: [] } };
    expect(withObservables(own, []).output?.observables).toEqual([]);
    expect(withObservables({ ...run, status: 'running' }, []).output?.observables).toBeUndefined();
  });
});
