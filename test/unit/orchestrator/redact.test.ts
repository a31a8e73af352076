import { describe, expect, it } from 'vitest';
import { redactedOutput, redactSecrets } from '../../../src/orchestrator/redact.ts';

/** Configured values kept out of what a plugin prints, as it printed them or escaped inside JSON. */

const SECRET = 'S3cr3t"Key\\Value-1234';

describe('redacting configured values', () => {
  it('blanks a secret printed inside JSON, however the encoder escaped it', () => {
    const printed: [secret: string, asPrinted: string][] = [
      [SECRET, 'S3cr3t\\"Key\\\\Value-1234'], // JSON.stringify, ConvertTo-Json in PowerShell 7
      ["P@ss'<w>&rd-1234", 'P@ss\\u0027\\u003cw\\u003e\\u0026rd-1234'], // ConvertTo-Json in PowerShell 5.1
      ["P@ss'<w>&rd-1234", 'P@ss\\u0027\\u003Cw\\u003E\\u0026rd-1234'], // System.Text.Json
      ['Pässwörd-🔑-1234', 'P\\u00e4ssw\\u00f6rd-\\ud83d\\udd11-1234'], // Python's json.dumps
      ['https://user:pw@host/x', 'https:\\/\\/user:pw@host\\/x'], // PHP's json_encode
    ];
    for (const [secret, asPrinted] of printed) {
      expect(redactSecrets(`{"key":"${asPrinted}","ok":true}`, [secret])).toBe(
        '{"key":"[redacted]","ok":true}',
      );
    }
    expect(redactSecrets('C:\\Temp\\S3cr3t', [SECRET])).toBe('C:\\Temp\\S3cr3t'); // not the secret
  });

  it('leaves no secret in the data parsed from the output, nor in its stderr', () => {
    const output = redactedOutput(
      {
        stdout: `looking up...\n${JSON.stringify({ key: SECRET, user: 'jdoe' })}\n`,
        stderr: `refused: ${JSON.stringify({ key: SECRET })}\n`,
        exitCode: 1,
        truncated: false,
      },
      [SECRET],
    );
    expect(output.data).toEqual({ key: '[redacted]', user: 'jdoe' });
    expect(output.stderr).toBe('refused: {"key":"[redacted]"}\n');
    expect(JSON.stringify(output)).not.toContain('S3cr3t');
  });
});
