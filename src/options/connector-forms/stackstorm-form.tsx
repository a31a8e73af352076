import { z } from 'zod';
import { StackStormOptionsSchema } from '../../core/engines/stackstorm-options.ts';
import {
  type ConnectorOptionsFormProps,
  JsonField,
  ListField,
  NumberField,
  SchemaStatus,
  SelectField,
  setterFor,
} from './controls.tsx';

/** StackStorm entry options: how to authenticate, which packs to offer, how parameters bind to fields. */
export function StackStormOptionsForm(props: ConnectorOptionsFormProps) {
  const set = setterFor(props);
  const v = props.value;
  return (
    <fieldset class="gs-connector-form">
      <legend>StackStorm</legend>
      <SelectField
        label="The entry secret is"
        name="authMode"
        value={v.authMode}
        choices={[
          ['api-key', 'an API key (St2-Api-Key)'],
          ['token', 'an auth token (X-Auth-Token, expires)'],
        ]}
        set={set}
      />
      <ListField
        label="Packs to offer; empty for all"
        name="packs"
        value={v.packs}
        hint="enrich, core"
        set={set}
      />
      <JsonField
        label='Parameter bindings: { "pack.action": { "param": "SIP" } }'
        name="mapping"
        value={v.mapping}
        schema={z.record(z.string(), z.record(z.string(), z.string().min(1)))}
        rows={5}
        set={set}
      />
      <ListField
        label="Read-only actions (results may be cached)"
        name="readOnlyActions"
        value={v.readOnlyActions}
        hint="enrich.ip_lookup"
        set={set}
      />
      <NumberField
        label="Cache read-only results for (s)"
        name="cacheTtlSeconds"
        value={v.cacheTtlSeconds}
        placeholder={600}
        min={0}
        set={set}
      />
      <NumberField
        label="Give up on a run after (s)"
        name="timeoutSeconds"
        value={v.timeoutSeconds}
        placeholder={600}
        min={1}
        set={set}
      />
      <SchemaStatus schema={StackStormOptionsSchema} value={props.value} />
    </fieldset>
  );
}
