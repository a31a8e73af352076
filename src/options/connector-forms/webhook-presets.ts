/**
 * Starting points for the common webhook SOARs (docs/connectors.md#webhook-presets). Each is a webhook
 * action the admin adapts: the `<…>` parts name what to replace. Secrets are never in a preset: they go
 * in the entry secret, sent in `authHeader` or put in the URL by `{{secret}}`.
 */

const observable = {
  ip: '{{SIP}}',
  destination_ip: '{{DIP}}',
  host: '{{DHostName}}',
  user: '{{Login}}',
  hash: '{{Hash}}',
  url: '{{URL}}',
  alarm_id: '{{row.alarmId}}',
  console: '{{row.console}}',
};

export const WEBHOOK_PRESETS = {
  /** Tines Webhook action with a configured response; its secret is the last URL segment. */
  tines: {
    id: 'tines-enrich',
    name: 'Tines enrichment story',
    description: 'Sends the row to a Tines Webhook action and shows the story response.',
    url: '/webhook/<webhook-path>/{{secret}}',
    method: 'POST',
    bodyTemplate: observable,
    mode: 'sync',
    outputMapping: { textPath: '/summary', verdictPath: '/verdict' },
    readOnly: true,
  },
  /** n8n Webhook node (Header Auth credential) answered by a "Respond to Webhook" node. */
  n8n: {
    id: 'n8n-enrich',
    name: 'n8n enrichment workflow',
    description: 'Runs an active n8n workflow and shows what its Respond to Webhook node returns.',
    url: '/webhook/<path>',
    method: 'POST',
    authHeader: 'X-N8N-Auth',
    bodyTemplate: observable,
    mode: 'sync',
    outputMapping: { textPath: '/text', verdictPath: '/verdict' },
    readOnly: true,
  },
  /** Shuffle workflow run by API, followed with streams/results. */
  shuffle: {
    id: 'shuffle-enrich',
    name: 'Shuffle workflow',
    description: 'Executes a Shuffle workflow with the row as its execution argument and follows the run.',
    url: '/api/v1/workflows/<workflow_id>/execute',
    method: 'POST',
    authHeader: 'Authorization',
    authPrefix: 'Bearer ',
    bodyTemplate: { execution_argument: '{{row.fieldsJson}}', start: '' },
    mode: 'poll',
    pollUrlPath: '/execution_id',
    pollCapture: { authorization: '/authorization' },
    pollUrlTemplate: '/api/v1/streams/results',
    pollMethod: 'POST',
    pollBodyTemplate: { execution_id: '{{run.id}}', authorization: '{{run.authorization}}' },
    statusPath: '/status',
    statusMap: { EXECUTING: 'running', FINISHED: 'succeeded', ABORTED: 'canceled', WAITING: 'queued' },
    outputMapping: { textPath: '/result' },
    readOnly: true,
  },
  /** Logic Apps "When a HTTP request is received" trigger answered by a Response action. */
  logicApps: {
    id: 'logic-app-enrich',
    name: 'Logic App enrichment',
    description: 'Calls a Logic App HTTP trigger; the SAS signature is the entry secret.',
    url: '/workflows/<workflow-id>/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={{secret}}',
    method: 'POST',
    bodyTemplate: observable,
    mode: 'sync',
    outputMapping: { textPath: '/summary', verdictPath: '/verdict' },
    readOnly: true,
  },
} as const;

export type WebhookPresetName = keyof typeof WEBHOOK_PRESETS;

export const PRESET_LABELS: Record<WebhookPresetName, string> = {
  tines: 'Tines',
  n8n: 'n8n',
  shuffle: 'Shuffle',
  logicApps: 'Logic Apps',
};
