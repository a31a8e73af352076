import { describe, expect, it } from 'vitest';
import { redactedOutput, redactSecrets, withEncodedForms } from '../../../src/orchestrator/redact.ts';

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

  it('masks the end of a stream the output cap cut, where the start of a secret could be', () => {
    const output = redactedOutput(
      {
        stdout: `connecting with ${SECRET.slice(0, 14)}`,
        stderr: `{"key":"${JSON.stringify(SECRET).slice(1, 10)}`,
        exitCode: 0,
        truncated: true,
      },
      [SECRET],
    );
    expect(output.stdout).toBe('[redacted]');
    expect(output.stderr).toBe('[redacted]');
    // Only as much as a spelling of the secret can take, and only on the stream the cap cut.
    const long = `${'x'.repeat(1000)}${SECRET.slice(0, 3)}`;
    const cutOne = redactedOutput(
      {
        stdout: long,
        stderr: 'warning: slow directory\n',
        exitCode: 0,
        truncated: true,
        cut: { stdout: true, stderr: false },
      },
      [SECRET],
    );
    expect(cutOne.stdout).toBe(`${'x'.repeat(1000 + 3 - (SECRET.length * 6 - 1))}[redacted]`);
    expect(cutOne.stderr).toBe('warning: slow directory\n');
    // A cut that falls inside an earlier marker masks from the marker's start.
    const afterMarker = redactedOutput(
      {
        stdout: `${'y'.repeat(500)}${SECRET}${'z'.repeat(SECRET.length * 6 - 5)}`,
        stderr: '',
        exitCode: 0,
        truncated: true,
      },
      [SECRET],
    );
    expect(afterMarker.stdout).toBe(`${'y'.repeat(500)}[redacted]`);
  });

  it('tells nothing about a secret from where its output was cut', () => {
    // A plugin that echoes a value the caller sends, cut right after it: the caller's guess at the next
    // character of a secret must not change what comes back.
    const secret = 'ldap-prod-7.corp.example.internal';
    const echoed = (guess: string) =>
      redactedOutput(
        {
          stdout: `${'.'.repeat(2000)}login=\\u006cdap-prod-${guess}`,
          stderr: '',
          exitCode: 0,
          truncated: true,
        },
        [secret],
      ).stdout;
    expect(echoed('7')).toBe(echoed('8'));
    expect(echoed('7.corp')).toBe(echoed('x.corp'));
    // Output the cap did not cut is left as it is.
    const whole = { stderr: '', exitCode: 0, truncated: false };
    expect(redactedOutput({ ...whole, stdout: 'ends with S3cr3t' }, [SECRET]).stdout).toBe(
      'ends with S3cr3t',
    );
  });

  it('blanks a secret printed base64-encoded at any offset in the data, and percent-encoded', () => {
    const secret = 'S3cr3t/Key+Value ü-1234';
    const forms = withEncodedForms([secret]);
    // A Basic header carries `user:secret`: the user name's length puts the secret at each of base64's
    // three offsets.
    for (const user of ['svc', 'svc1', 'svc12']) {
      for (const alphabet of ['base64', 'base64url'] as const) {
        const header = Buffer.from(`${user}:${secret}`).toString(alphabet);
        const redacted = redactSecrets(`Authorization: Basic ${header}`, forms);
        const kept = /^Authorization: Basic (\S*)\[redacted\](\S*)$/.exec(redacted);
        expect(kept, `${user}, ${alphabet}`).not.toBeNull();
        expect(header.startsWith(kept![1]!) && header.endsWith(kept![2]!)).toBe(true);
        expect(kept![1]!.length).toBeLessThanOrEqual(Math.ceil(((user.length + 1) * 8) / 6));
        expect(kept![2]!.length).toBeLessThanOrEqual(3);
      }
    }
    for (const url of [
      `https://feed.example/lookup?key=${encodeURIComponent(secret)}&ip=1`,
      `https://feed.example/lookup?key=${encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())}&ip=1`,
      `https://feed.example/lookup?${new URLSearchParams({ key: secret, ip: '1' })}`,
    ]) {
      expect(redactSecrets(url, forms)).toBe('https://feed.example/lookup?key=[redacted]&ip=1');
    }
    // Encoded, then escaped inside JSON (PHP escapes base64's `/`).
    const escaped = JSON.stringify({ auth: Buffer.from(secret).toString('base64') }).replaceAll('/', '\\/');
    expect(redactSecrets(escaped, forms)).toMatch(/^\{"auth":"\[redacted\][A-Za-z0-9+=]{0,3}"\}$/);
  });

  it('looks for no encoded form so short that it would match by coincidence', () => {
    const forms = withEncodedForms(['abcd']);
    expect(forms).toContain('abcd');
    expect(forms.every((form) => form === 'abcd' || form.length >= 6)).toBe(true);
    const hash = Buffer.from('not the secret at all').toString('base64');
    expect(redactSecrets(hash, withEncodedForms(['S3cr3t-1234']))).toBe(hash);
  });
});
