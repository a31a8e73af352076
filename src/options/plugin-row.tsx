import type { PluginInfo } from '../core/plugins-api.ts';

const STATUS_WORDS: Record<PluginInfo['status'], string> = {
  trusted: 'Trusted',
  modified: 'Modified outside Gridside',
  unsigned: 'Unsigned',
  disabled: 'Disabled',
};

/**
 * One plugin in the Plugins section: name, version, status, signer, and its files with the hashes the
 * orchestrator trusts (what an admin compares with the vendor's). Buttons say what they will do.
 */
export function PluginRow(props: {
  plugin: PluginInfo;
  busy: boolean;
  act: (verb: 'disable' | 'enable' | 'trust', plugin: PluginInfo) => void;
}) {
  const { plugin, busy, act } = props;
  return (
    <tr data-plugin-id={plugin.id} data-status={plugin.status}>
      <th scope="row">
        {plugin.name}
        <div class="muted">{plugin.id}</div>
      </th>
      <td>{plugin.version ?? '—'}</td>
      <td>
        <span class={`plugin-status ${plugin.status}`}>{STATUS_WORDS[plugin.status]}</span>
        {plugin.statusReason && <div class="muted">{plugin.statusReason}</div>}
      </td>
      <td>
        {plugin.signer ? (
          <>
            {plugin.signer.name}
            <div class="muted">
              key “{plugin.signer.keyName}” ({plugin.signer.keyId})
            </div>
          </>
        ) : (
          '—'
        )}
      </td>
      <td>
        <details>
          <summary>{plugin.files.length} files</summary>
          <ul class="plugin-files">
            {plugin.files.map((file) => (
              <li key={file.path}>
                <code>{file.path}</code> <code class="hash">sha256:{file.sha256}</code>
              </li>
            ))}
          </ul>
          {plugin.changed && (
            <>
              <p>Changed outside Gridside at {plugin.changed.at}:</p>
              <ul class="plugin-files">
                {plugin.changed.files.map((file) => (
                  <li key={file.path}>
                    <code>{file.path}</code> <code class="hash">{file.before ?? '(none)'}</code> →{' '}
                    <code class="hash">{file.after ?? '(none)'}</code>
                  </li>
                ))}
              </ul>
            </>
          )}
        </details>
      </td>
      <td>
        {plugin.status === 'modified' && (
          <button type="button" disabled={busy} onClick={() => act('trust', plugin)}>
            Trust files as they are now
          </button>
        )}
        {plugin.status === 'disabled' ? (
          <button type="button" disabled={busy} onClick={() => act('enable', plugin)}>
            Enable
          </button>
        ) : (
          <button type="button" disabled={busy} onClick={() => act('disable', plugin)}>
            Disable
          </button>
        )}
      </td>
    </tr>
  );
}
