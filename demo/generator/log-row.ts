/**
 * One Analyzer grid row. Keys are the canonical field names (the SRP alarm-field element names, plus
 * `Hash` and the log metadata), so a row maps onto a RowContext without a lookup table.
 */
export type Direction = 'Inbound' | 'Outbound' | 'Internal' | 'External' | 'Local' | 'Unknown';

export interface LogRow {
  /** Stable per seed and position: the row's business key in the demo console. */
  LogId: string;
  /** ISO 8601, UTC. */
  LogDate: string;
  MessageClass: string;
  CommonEvent: string;
  /** Log Source Entity (the canonical field is `Entity`). */
  Entity: string;
  LogSource: string;
  SHostName: string;
  SIP: string;
  DHostName: string;
  DIP: string;
  /** User (Origin). */
  Login: string;
  /** User (Impacted). */
  Account: string;
  Object: string;
  Process: string;
  URL: string;
  Hash: string;
  Direction: Direction;
  /** 0–100. */
  Priority: number;
  SPort: number | null;
  DPort: number | null;
  Protocol: string;
  Domain: string;
  Subject: string;
  Sender: string;
  Recipient: string;
  /** The raw log line the fields were parsed from. */
  Message: string;
}

/** The fields a scenario fills; ids, dates and priority are set by the generator. */
export type EventFields = Omit<LogRow, 'LogId' | 'LogDate'>;

/** A row with every field present and empty; one literal so every row shares one object shape. */
export const blankRow = (LogId: string, LogDate: string): LogRow => ({
  LogId,
  LogDate,
  MessageClass: '',
  CommonEvent: '',
  Entity: 'Primary Site',
  LogSource: '',
  SHostName: '',
  SIP: '',
  DHostName: '',
  DIP: '',
  Login: '',
  Account: '',
  Object: '',
  Process: '',
  URL: '',
  Hash: '',
  Direction: 'Internal',
  Priority: 0,
  SPort: null,
  DPort: null,
  Protocol: '',
  Domain: '',
  Subject: '',
  Sender: '',
  Recipient: '',
  Message: '',
});
