import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Reads a real SRP file from test/fixtures/srp (sources in its README.md). */
export const readSrpFixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../../../fixtures/srp/${name}`, import.meta.url)), 'utf8');

export const VIRUSTOTAL = 'LogRhythm-Labs_VirusTotal_actions.xml';
export const DISABLE_AD = 'LogRhythm-Labs_SRP-DisableADAccount_actions.xml';
export const SLACK_BASIC = 'TheNoButton_slack-webhooks_basic_actions.xml';
export const SLACK_SUSPICIOUS_IP = 'TheNoButton_slack-webhooks_suspicious-ip-inbound_actions.xml';

/** Wraps action bodies in a minimal plugin, with the prefix real files use. */
export const plugin = (body: string, rootAttributes = 'Name="Test"'): string =>
  `<?xml version="1.0" encoding="utf-8"?>
<remv1:Remediation-Plugin xmlns:remv1="RemediationVersion1.xsd" ${rootAttributes}>
${body}
</remv1:Remediation-Plugin>`;
