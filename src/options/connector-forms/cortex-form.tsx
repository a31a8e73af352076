import { z } from 'zod';
import { CORTEX_DATA_TYPES, CortexOptionsSchema } from '../../core/engines/cortex-options.ts';
import {
  CheckboxField,
  type ConnectorOptionsFormProps,
  JsonField,
  ListField,
  NumberField,
  SchemaStatus,
  SelectField,
  setterFor,
} from './controls.tsx';

const LEVELS = [
  ['0', '0 — WHITE'],
  ['1', '1 — GREEN'],
  ['2', '2 — AMBER'],
  ['3', '3 — RED'],
] as const;

/** TheHive Cortex entry options: what the analyst sends with each job, and which analyzers to offer. */
export function CortexOptionsForm(props: ConnectorOptionsFormProps) {
  const set = setterFor(props);
  const v = props.value;
  return (
    <fieldset class="gs-connector-form">
      <legend>Cortex</legend>
      <p class="gs-help">The entry secret is a Cortex API key (a user with the "analyze" role).</p>
      <SelectField
        label="TLP sent with each job"
        name="tlp"
        value={v.tlp}
        choices={LEVELS}
        parse={Number}
        set={set}
      />
      <SelectField
        label="PAP sent with each job"
        name="pap"
        value={v.pap}
        choices={LEVELS}
        parse={Number}
        set={set}
      />
      <CheckboxField
        label="Always run again (bypass Cortex's job cache, ?force=1)"
        name="force"
        value={v.force}
        set={set}
      />
      <JsonField
        label={`Data types to offer (any of: ${CORTEX_DATA_TYPES.join(', ')}); empty for all`}
        name="dataTypes"
        value={v.dataTypes}
        schema={z.array(z.enum(CORTEX_DATA_TYPES))}
        rows={2}
        set={set}
      />
      <ListField
        label="Analyzers to offer (ids or names); empty for all"
        name="analyzers"
        value={v.analyzers}
        set={set}
      />
      <NumberField
        label="Wait per poll (s, waitreport)"
        name="waitSeconds"
        value={v.waitSeconds}
        placeholder={5}
        min={0}
        max={60}
        set={set}
      />
      <NumberField
        label="Cache results for (s)"
        name="cacheTtlSeconds"
        value={v.cacheTtlSeconds}
        placeholder={3600}
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
      <SchemaStatus schema={CortexOptionsSchema} value={props.value} />
    </fieldset>
  );
}
