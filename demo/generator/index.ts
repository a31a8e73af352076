/** The demo data generator: what the demo console, the benchmarks and the tests import. */
export { type AlarmRow, generateAlarms } from './alarms.ts';
export { ALARM_COLUMNS, type ColumnDefinition, LOG_COLUMNS } from './columns.ts';
export type { Asset, DirectoryUser, KnownFile, PublicIp, ThreatIp } from './dataset-types.ts';
export { ASSETS, KNOWN_FILES, PUBLIC_IPS, THREAT_IPS, USERS } from './datasets.ts';
export { findHostileRows, HOSTILE_SAMPLES, type HostileSample } from './hostile.ts';
export type { Direction, LogRow } from './log-row.ts';
export { DEMO_END, type GenerateOptions, generateLogs } from './logs.ts';
