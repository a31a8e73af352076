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

  it('masks the start of a secret that the output cap cut off', () => {
    const output = redactedOutput(
      {
        stdout: `connecting with ${SECRET.slice(0, 14)}`,
        stderr: `{"key":"${JSON.stringify(SECRET).slice(1, 10)}`,
        exitCode: 0,
        truncated: true,
      },
      [SECRET],
    );
    expect(output.stdout).toBe('connecting with [redacted]');
    expect(output.stderr).toBe('{"key":"[redacted]');
    // The cap counts bytes: cut inside "ö", the text ends in U+FFFD after the start of the secret.
    const stdout = Buffer.from('key=Pässwörd-1234').subarray(0, 11).toString('utf8');
    const cutInside = { stdout, stderr: '', exitCode: 0, truncated: true };
    expect(redactedOutput(cutInside, ['Pässwörd-1234']).stdout).toBe('key=[redacted]');
  });

  it('leaves a cut-off start shorter than four characters, and output the cap did not cut', () => {
    const cut = { stderr: '', exitCode: 0, truncated: true };
    expect(redactedOutput({ ...cut, stdout: 'ends with S3c' }, [SECRET]).stdout).toBe('ends with S3c');
    expect(redactedOutput({ ...cut, truncated: false, stdout: 'ends with S3cr3t' }, [SECRET]).stdout).toBe(
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
