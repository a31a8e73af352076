import '../core/zod-jitless.ts';
import contentScript from 'virtual:gridside-content-script';
import browser, { type Runtime } from 'webextension-polyfill';
import { ContentRequestSchema } from '../core/messages.ts';
import { EXTENSION_PAGES } from '../core/page-channel.ts';
import { createApprovalMarks } from './approvals/approval-marks.ts';
import { createApprovalWatch } from './approvals/approvals.ts';
import { createAutoEnrich } from './auto-enrich/auto-enrich.ts';
import { createAutoEnrichSwitch } from './auto-enrich/auto-enrich-switch.ts';
import { sessionBudgetKeeper } from './auto-enrich/budget.ts';
import { createContentHandler } from './channels/content-handlers.ts';
import { createContentLines } from './channels/content-line.ts';
import { createHistoryHandler } from './channels/history-handlers.ts';
import { createOptionsHandler } from './channels/options-handlers.ts';
import { createOutputFrameHandler } from './channels/output-frame-handlers.ts';
import { createPopupHandler } from './channels/popup-handlers.ts';
import { createPush, pushToEveryFrame } from './channels/push.ts';
import { createRouter } from './channels/router.ts';
import { openGridsideDb } from './db.ts';
import { createExport } from './history/export.ts';
import { createHistory } from './history/history.ts';
import { createBatchRunner, createJobEndings } from './jobs/batch.ts';
import { createRunCache } from './jobs/cache.ts';
import { createJobEngine } from './jobs/job-engine.ts';
import { toJob } from './jobs/job-record.ts';
import { createJobStore } from './jobs/job-store.ts';
import { createCatalog } from './orchestrators/catalog.ts';
import { createOrchestratorPause } from './orchestrators/orchestrator-pause.ts';
import { createOrchestrators, enabledOrchestratorOrigins } from './orchestrators/orchestrators.ts';
import { createPluginAdminHandler } from './orchestrators/plugin-admin.ts';
import { createRestrictedFetch } from './orchestrators/restricted-fetch.ts';
import { createPinService } from './pins/pins.ts';
import { createPinsTransfer } from './pins/pins-transfer.ts';
import { applyDemoSeed, readPackagedJson } from './settings/demo-seed.ts';
import { rememberSettings } from './settings/remembered-settings.ts';
import { createSecretStore } from './settings/secret-store.ts';
import { createSettingsStore, SETTINGS_KEY } from './settings/settings-store.ts';
import { createChunkInjector } from './sites/content-chunks.ts';
import { createContentScriptRegistry, type ScriptingLike } from './sites/content-scripts.ts';
import { createMenus } from './sites/menus.ts';
import { createSiteAccess } from './sites/site-access.ts';
import { createTeachOpener } from './sites/teach-open.ts';
import { createAutoEnrichedMarks } from './triggers/auto-enriched.ts';

/**
 * The background service worker: builds the parts and registers every listener synchronously at the top
 * level, because an MV3 worker is restarted on demand and only listeners registered in the first turn
 * receive the event that woke it.
 */

const mode = import.meta.env.MODE;
const HEARTBEAT_ALARM = 'gridside-jobs-heartbeat';

const db = openGridsideDb();
const secrets = createSecretStore(db);
const settingsStore = rememberSettings(createSettingsStore(browser.storage.local, browser.storage.managed));

// Demo builds seed a fresh profile before anything reads settings (demo-seed.ts).
// `mode` is a literal after the build, so production bundles drop the seed code entirely.
const ready =
  mode === 'demo'
    ? applyDemoSeed({
        mode,
        readFile: (name) => readPackagedJson(browser.runtime.getURL(name)),
        settings: settingsStore,
        secrets,
      }).catch((error: unknown) => console.error('Gridside demo seed failed', error))
    : Promise.resolve();
const settings = async () => {
  await ready;
  return settingsStore.load();
};
const consoles = async () => (await settings()).consoles;

const restrictedFetch = createRestrictedFetch({
  allowedOrigins: async () => enabledOrchestratorOrigins(await settings()),
});
const orchestrators = createOrchestrators({ settings, secrets, fetch: restrictedFetch });
const catalog = createCatalog({
  defaultEntry: orchestrators.defaultEntry,
  connector: orchestrators.connector,
});
const lines = createContentLines();
const push = createPush(browser.tabs, lines);
// Jobs go through the orchestrator's 429 pause; their pushes also reach tabs that joined a merged run and
// wake batch rows waiting for a free slot; read-only runs go through the result cache (docs/architecture.md §7).
const pause = createOrchestratorPause();
const jobStore = createJobStore(db);
const endings = createJobEndings(async (id) => {
  const job = await jobStore.get(id);
  return job ? toJob(job) : undefined;
});
let jobPush = push;
const jobs = createJobEngine({
  store: jobStore,
  connectorFor: async (id) => pause.wrap(id, await orchestrators.connector(id)),
  push: (tab, message) => {
    endings.notice(message);
    return jobPush(tab, message);
  },
});
const runs = createRunCache({ db, store: jobStore, engine: jobs });
jobPush = runs.fanOut(push);
const batches = createBatchRunner({
  store: jobStore,
  async startJob(request) {
    const job = await runs.start(request);
    // An answer from the cache is finished before anything is pushed: tell the batch's tab at once.
    if (job.cachedAt !== null && request.tab) await push(request.tab, { type: 'job.update', job });
    return job;
  },
  async startJobs(requests) {
    const answers = await runs.startMany(requests);
    // As above, in one turn: the pushes of one turn reach the tab as one message (push.ts).
    await Promise.all(
      answers.map((job, i) => {
        const tab = requests[i]?.tab;
        if (job instanceof Error || job.cachedAt === null || !tab) return undefined;
        return push(tab, { type: 'job.update', job });
      }),
    );
    return answers;
  },
  ended: endings.ended,
  async tell(job) {
    if (job.tab) await push(job.tab, { type: 'job.update', job: toJob(job) });
  },
  cached: (requests) => runs.answers(requests),
  actionNow: (orchestratorId, actionId, context) => catalog.action(orchestratorId, actionId, context),
});
const history = createHistory(jobStore);
const historyHandler = createHistoryHandler({
  history,
  transfer: createExport({ store: jobStore, history, pins: createPinsTransfer(db) }),
});
const pins = createPinService({ db, job: (jobId) => jobs.get(jobId) });

const scripting = chrome.scripting as unknown as ScriptingLike;
const registry = createContentScriptRegistry({
  scripting,
  permissions: browser.permissions,
  tabs: browser.tabs,
  scriptFile: contentScript.script,
  consoles,
});
const menus = createMenus({
  contextMenus: browser.contextMenus,
  consoles,
  openPanel: (target, source) =>
    'everyFrame' in target
      ? pushToEveryFrame(browser.tabs, target.tabId, { type: 'panel.open', source })
      : push(target, { type: 'panel.open', source }),
});

// The toolbar popup: runs waiting for this analyst's approval (and the badge), Gridside on this site.
// The same runs are marked on their rows in the consoles, which are told when the list changes.
const approvals = createApprovalWatch({
  settings,
  connector: orchestrators.connector,
  badge: browser.action,
  onChange: () => void approvalMarks.announce().catch(logFailure('marking approvals on rows')),
});
const approvalMarks = createApprovalMarks({
  watch: approvals,
  consoles,
  tabs: browser.tabs,
  windows: browser.windows,
  approvalPage: browser.runtime.getURL(EXTENSION_PAGES.popup),
});

// In-grid auto-enrichment: the rows a console page proposes, bounded here (docs/auto-enrichment.md).
const autoEnrich = createAutoEnrich({
  settings,
  defaultEntry: orchestrators.defaultEntry,
  action: (orchestratorId, actionId) => catalog.action(orchestratorId, actionId),
  runs,
  job: (jobId) => jobs.get(jobId),
  budgets: sessionBudgetKeeper(browser.storage.session),
});

const contentHandler = createContentHandler({
  catalog,
  jobs,
  orchestrators,
  settings,
  saveSettings: async (next) => {
    await ready;
    return settingsStore.save(next);
  },
  pins,
  runs,
  batches,
  approvalMarks,
  autoEnriched: createAutoEnrichedMarks({ settings, connector: orchestrators.connector }),
  injectChunk: createChunkInjector({ scripting, build: contentScript }),
  autoEnrich,
});
const popup = createPopupHandler({
  approvals,
  site: createSiteAccess({
    settings: { ...settingsStore, load: settings },
    permissions: browser.permissions,
    syncConsoles: () => ready.then(() => registry.sync()),
  }),
  teach: createTeachOpener({
    tabUrl: async (tabId) => (await browser.tabs.get(tabId)).url,
    consoles,
    send: (tabId, message) => browser.tabs.sendMessage(tabId, message, { frameId: 0 }),
  }),
  autoEnrich: createAutoEnrichSwitch({ settings: { ...settingsStore, load: settings }, service: autoEnrich }),
});

const router = createRouter({
  extensionId: browser.runtime.id,
  extensionOrigin: new URL(browser.runtime.getURL('')).origin,
  isEnabledConsole: async (origin) => (await consoles()).includes(origin),
  content: contentHandler,
  options: createOptionsHandler({
    settings: settingsStore,
    secrets,
    orchestrators,
    catalog,
    syncConsoles: () => ready.then(() => registry.sync()),
    plugins: createPluginAdminHandler({ orchestrators }),
  }),
  popup,
  history: historyHandler,
  outputFrame: createOutputFrameHandler({
    jobs,
    jobEnded: endings.ended,
    pins,
    // Its own instance: the frame asks afresh for the one row it shows, as the content channel does.
    autoEnriched: createAutoEnrichedMarks({ settings, connector: orchestrators.connector }),
    autoEnrich,
    pushToTab: async (tabId, message) => {
      await browser.tabs.sendMessage(tabId, message).catch(() => undefined);
    },
    forwardSummary: import.meta.env.MODE === 'demo' || import.meta.env.MODE === 'test',
  }),
});

const logFailure = (what: string) => (error: unknown) => console.error(`Gridside: ${what} failed`, error);

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
  router(message, sender),
);

browser.runtime.onConnect.addListener((port) => lines.accept(port, router));

browser.runtime.onInstalled.addListener(() => {
  void ready.then(() => {
    menus.rebuild().catch(logFailure('creating the context menu'));
    registry.sync({ reregister: true }).catch(logFailure('registering the content script'));
  });
});

browser.storage.onChanged.addListener((changes, area) => {
  // A changed managed policy changes the effective settings too (settings/managed-settings.ts).
  if (area !== 'managed' && !(area === 'local' && SETTINGS_KEY in changes)) return;
  settingsStore.forget();
  catalog.clear();
  menus.rebuild().catch(logFailure('updating the context menu'));
  registry.sync().catch(logFailure('registering the content script'));
});

browser.permissions.onAdded.addListener(
  () => void registry.sync().catch(logFailure('registering the content script')),
);
browser.permissions.onRemoved.addListener(
  () => void registry.sync().catch(logFailure('registering the content script')),
);

browser.contextMenus.onClicked.addListener((info, tab) => void menus.onMenuClick(info, tab));

browser.commands.onCommand.addListener(async (command) => {
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  await menus.onCommand(command, active);
});

// Heartbeat: wakes a killed worker so unfinished jobs keep being polled and batch rows a killed worker
// left queued are sent (30 s is Chrome's minimum).
void browser.alarms.get(HEARTBEAT_ALARM).then((existing) => {
  if (!existing) void browser.alarms.create(HEARTBEAT_ALARM, { periodInMinutes: 0.5 });
});
browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name !== HEARTBEAT_ALARM) return;
  void jobs.resumeUnfinished('heartbeat').catch(logFailure('resuming jobs'));
  void batches.resume().catch(logFailure('resuming batches'));
  void approvals.refresh().catch(logFailure('checking approvals'));
});

// Every worker start: resume what a previous worker left, and re-check registrations.
void ready.then(() => {
  jobs.resumeUnfinished('restart').catch(logFailure('resuming jobs'));
  batches.resume().catch(logFailure('resuming batches'));
  approvals.refresh().catch(logFailure('checking approvals'));
  registry.sync().catch(logFailure('registering the content script'));
});

if (mode === 'demo') {
  // End-to-end hooks, demo build only: automation cannot click the native context menu (docs/architecture.md §11).
  Object.assign(globalThis, {
    __gridsideTest: {
      ready,
      onMenuClick: menus.onMenuClick,
      onCommand: menus.onCommand,
      resumeJobs: () => jobs.resumeUnfinished('restart'),
      resumeBatches: () => batches.resume(),
      /** bench:pins: a content request as the worker handles one from a console tab of `origin`. */
      content: (message: unknown, origin: string) =>
        contentHandler(ContentRequestSchema.parse(message), { origin, tab: { tabId: -1, frameId: 0 } }),
    },
  });
}
