/** The columns the demo console shows, labelled as LogRhythm's Web Console labels them. */
import type { AlarmRow } from './alarms.ts';
import type { LogRow } from './log-row.ts';

export interface ColumnDefinition<Row> {
  field: keyof Row & string;
  label: string;
  width?: number;
}

export const LOG_COLUMNS: ColumnDefinition<LogRow>[] = [
  { field: 'LogId', label: 'Log ID', width: 110 },
  { field: 'LogDate', label: 'Log Date', width: 190 },
  { field: 'MessageClass', label: 'Classification', width: 170 },
  { field: 'CommonEvent', label: 'Common Event', width: 260 },
  { field: 'Priority', label: 'Priority', width: 80 },
  { field: 'Direction', label: 'Direction', width: 100 },
  { field: 'Entity', label: 'Log Source Entity', width: 140 },
  { field: 'LogSource', label: 'Log Source', width: 260 },
  { field: 'SHostName', label: 'Host (Origin)', width: 170 },
  { field: 'SIP', label: 'IP Address (Origin)', width: 140 },
  { field: 'SPort', label: 'TCP/UDP Port (Origin)', width: 100 },
  { field: 'DHostName', label: 'Host (Impacted)', width: 220 },
  { field: 'DIP', label: 'IP Address (Impacted)', width: 140 },
  { field: 'DPort', label: 'TCP/UDP Port (Impacted)', width: 100 },
  { field: 'Protocol', label: 'Protocol', width: 90 },
  { field: 'Login', label: 'User (Origin)', width: 220 },
  { field: 'Account', label: 'User (Impacted)', width: 140 },
  { field: 'Domain', label: 'Domain (Impacted)', width: 200 },
  { field: 'Process', label: 'Process', width: 320 },
  { field: 'Object', label: 'Object', width: 280 },
  { field: 'Hash', label: 'Hash', width: 300 },
  { field: 'URL', label: 'URL', width: 320 },
  { field: 'Sender', label: 'Sender', width: 240 },
  { field: 'Recipient', label: 'Recipient', width: 220 },
  { field: 'Subject', label: 'Subject', width: 260 },
  { field: 'Message', label: 'Log Message', width: 600 },
];

export const ALARM_COLUMNS: ColumnDefinition<AlarmRow>[] = [
  { field: 'AlarmId', label: 'Alarm ID', width: 100 },
  { field: 'AlarmRuleName', label: 'Alarm Rule Name', width: 320 },
  { field: 'AlarmStatus', label: 'Alarm Status', width: 140 },
  { field: 'AlarmRbp', label: 'RBP', width: 70 },
  { field: 'Entity', label: 'Entity', width: 140 },
  { field: 'EventCount', label: 'Event Count', width: 100 },
  { field: 'AlarmDate', label: 'Alarm Date', width: 190 },
  { field: 'MessageClass', label: 'Classification', width: 170 },
  { field: 'CommonEvent', label: 'Common Event', width: 260 },
  { field: 'SHostName', label: 'Host (Origin)', width: 170 },
  { field: 'SIP', label: 'IP Address (Origin)', width: 140 },
  { field: 'DHostName', label: 'Host (Impacted)', width: 220 },
  { field: 'DIP', label: 'IP Address (Impacted)', width: 140 },
  { field: 'Login', label: 'User (Origin)', width: 220 },
  { field: 'Account', label: 'User (Impacted)', width: 140 },
  { field: 'Hash', label: 'Hash', width: 300 },
  { field: 'URL', label: 'URL', width: 300 },
  { field: 'Process', label: 'Process', width: 300 },
  { field: 'Object', label: 'Object', width: 260 },
  { field: 'Sender', label: 'Sender', width: 220 },
  { field: 'Subject', label: 'Subject', width: 240 },
];
