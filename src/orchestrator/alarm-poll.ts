import { z } from 'zod';
import type { AuditLog } from './audit.ts';
import type { AlarmPollConfig } from './trigger-config.ts';
import { eventFromAlarmJson } from './trigger-event.ts';
import type { TriggerStore } from './trigger-store.ts';
import type { TriggerService } from './triggers.ts';

/**
 * Polls the LogRhythm Alarm API for alarms inserted since a stored cursor (`GET /lr-alarm-api/alarms`
 * with `dateInserted`, oldest first), reads each new one with its events (`/alarms/{id}`, then
 * `/alarms/{id}/events` when the details carry none) and hands it to the trigger rules. Every alarm id
 * handled is written down before its rules run, and the cursor after it, both in SQLite: an alarm is
 * never handled twice, across restarts too. (An orchestrator killed between the two would skip that one
 * alarm rather than run its actions twice.)
 */

export const POLL_SOURCE = 'logrhythm-poll';

const IdSchema = z.union([z.number(), z.string().min(1)]).transform(String);
const AlarmListSchema = z.looseObject({
  alarmsSearchDetails: z
    .array(z.looseObject({ alarmId: IdSchema, dateInserted: z.string().optional().catch(undefined) }))
    .catch([]),
});
const DetailsSchema = z.looseObject({ alarmDetails: z.record(z.string(), z.unknown()) });
const EventsSchema = z.looseObject({
  alarmEventsDetails: z.array(z.unknown()).optional().catch(undefined),
  alarmsEventDetails: z.array(z.unknown()).optional().catch(undefined),
});

export class PollError extends Error {}

export class AlarmPoll {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;
  private lastProblem = '';

  constructor(
    private readonly o: {
      config: AlarmPollConfig;
      token: string;
      triggers: TriggerService;
      store: TriggerStore;
      audit: AuditLog;
      now?: () => number;
    },
  ) {}

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.round = this.pollOnce()
        .then(() => this.problem(''))
        .catch((error: unknown) => this.problem(error instanceof Error ? error.message : String(error)))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.o.config.intervalSeconds * 1000);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  /** One round: every alarm inserted since the cursor that was not handled yet. Returns how many were. */
  async pollOnce(): Promise<number> {
    const { config, store } = this.o;
    const cursor =
      store.cursor(POLL_SOURCE) ?? config.since ?? new Date(this.o.now?.() ?? Date.now()).toISOString();
    const query = new URLSearchParams({
      dateInserted: cursor,
      orderby: 'DateInserted',
      dir: 'ascending',
      count: String(config.pageSize),
    });
    const list = AlarmListSchema.parse(await this.get(`/lr-alarm-api/alarms?${query}`));
    const alarms = [...list.alarmsSearchDetails].sort(
      (a, b) => (Date.parse(a.dateInserted ?? '') || 0) - (Date.parse(b.dateInserted ?? '') || 0),
    );
    let handled = 0;
    for (const alarm of alarms) {
      if (this.stopped) break;
      if (!store.wasSeen(POLL_SOURCE, alarm.alarmId)) {
        const event = await this.read(alarm.alarmId);
        if (store.markSeen(POLL_SOURCE, alarm.alarmId, this.o.now?.() ?? Date.now())) {
          handled += 1;
          await this.o.triggers.handle(event);
        }
      }
      if (alarm.dateInserted && Date.parse(alarm.dateInserted) >= (Date.parse(cursor) || 0)) {
        store.saveCursor(POLL_SOURCE, alarm.dateInserted);
      }
    }
    return handled;
  }

  private async read(alarmId: string) {
    const id = encodeURIComponent(alarmId);
    const details = DetailsSchema.safeParse(await this.get(`/lr-alarm-api/alarms/${id}`));
    if (!details.success) throw new PollError(`alarm ${alarmId}: the answer has no alarmDetails`);
    const inside = EventsSchema.parse(details.data.alarmDetails);
    const hasEvents = (inside.alarmEventsDetails ?? inside.alarmsEventDetails ?? []).length > 0;
    const events = hasEvents ? {} : EventsSchema.parse(await this.get(`/lr-alarm-api/alarms/${id}/events`));
    return eventFromAlarmJson(
      { ...events, alarmDetails: details.data.alarmDetails },
      POLL_SOURCE,
      new URL(this.o.config.url).origin,
    );
  }

  private async get(path: string): Promise<unknown> {
    const url = `${this.o.config.url.replace(/\/+$/, '')}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${this.o.token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.o.config.timeoutSeconds * 1000),
      });
    } catch (error) {
      throw new PollError(`LogRhythm Alarm API unreachable (${(error as Error).message})`);
    }
    const where = path.split('?')[0];
    if (!response.ok) throw new PollError(`LogRhythm Alarm API answered ${response.status} to ${where}`);
    try {
      return await response.json();
    } catch {
      throw new PollError(`LogRhythm Alarm API answered ${where} with something that is not JSON`);
    }
  }

  /** A failing poll is said once (log and audit trail), not once per round; recovery is said too. */
  private problem(problem: string): void {
    if (problem === this.lastProblem) return;
    const outcome = problem ? `poll failing: ${problem}` : 'poll working again';
    if (problem || this.lastProblem) {
      process.stderr.write(`gridside-orchestrator: LogRhythm ${outcome}\n`);
      this.o.audit.append({ actor: 'system', event: 'trigger.poll', outcome });
    }
    this.lastProblem = problem;
  }
}
