import { useSignal } from '@preact/signals';
import type { Run } from '../core/api.ts';
import type { PanelError } from '../core/messages.ts';
import { HiddenCharactersNote, ShownValue } from '../ui/shown-value.tsx';
import { decide } from './state.ts';
import { approvalWords, formatTime, originWords } from './words.ts';

/**
 * One run waiting for this analyst: what would run, with which values, for which row or alarm, who asked,
 * and each approval level's state; then a comment and Approve / Deny. Everything here came from the
 * orchestrator and, before that, from a console page: it is rendered as text only. The values the approver
 * consents to, and the comments of earlier levels, are drawn with their hidden characters as code points
 * and isolated from the text around them, as the requester saw them on the confirm step: a value cannot
 * read as another here either.
 */
export function ApprovalCard({
  orchestratorId,
  run,
  focused = false,
}: {
  orchestratorId: string;
  run: Run;
  /** One of the runs of the row this window was opened from. */
  focused?: boolean;
}) {
  const comment = useSignal('');
  const busy = useSignal(false);
  const refusal = useSignal<PanelError | null>(null);
  const titleId = `run-${orchestratorId}-${run.id}`;
  const commentId = `${titleId}-comment`;
  const params = Object.entries(run.params);

  const send = async (decision: 'approve' | 'deny') => {
    busy.value = true;
    refusal.value = await decide(orchestratorId, run.id, decision, comment.value.trim());
    busy.value = false;
  };

  return (
    <li class={focused ? 'run focused' : 'run'} aria-labelledby={titleId}>
      {focused && <p class="tag">From the row you clicked</p>}
      <h3 id={titleId}>{run.actionName}</h3>
      <p class="muted">
        Requested by <strong>{run.requestedBy}</strong> on {formatTime(run.timing.createdAt)}
      </p>
      <p class="origin">{originWords(run)}</p>
      {params.length > 0 ? (
        <dl class="params" aria-label="Parameters">
          {params.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>
                <code>
                  <ShownValue value={value} />
                </code>
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <p class="muted">No parameters are sent with this run.</p>
      )}
      <HiddenCharactersNote values={params.map(([, value]) => value)} />
      <ol class="levels" aria-label="Approval levels">
        {run.approvals.map((approval, i) => (
          <li key={`${approval.level}-${i}`} class={approval.status}>
            Level {approval.level}: {approvalWords(approval)}
            {approval.comment && (
              <q>
                <ShownValue value={approval.comment} prose />
              </q>
            )}
          </li>
        ))}
      </ol>
      <label for={commentId}>Comment (kept in the audit log)</label>
      <textarea
        id={commentId}
        rows={2}
        maxLength={2000}
        value={comment.value}
        onInput={(e) => {
          comment.value = e.currentTarget.value;
        }}
      />
      <div class="actions">
        <button type="button" class="approve" disabled={busy.value} onClick={() => void send('approve')}>
          Approve
        </button>
        <button type="button" class="deny" disabled={busy.value} onClick={() => void send('deny')}>
          Deny
        </button>
      </div>
      {refusal.value && (
        <p class="error" role="alert">
          {refusal.value.message}
          {refusal.value.hint && ` ${refusal.value.hint}`}
        </p>
      )}
    </li>
  );
}
