import { LogRhythmOptionsSchema } from '../../core/engines/logrhythm-options.ts';
import {
  CheckboxField,
  type ConnectorOptionsFormProps,
  NumberField,
  SchemaStatus,
  setterFor,
} from './controls.tsx';

/** LogRhythm Alarm API entry options. The URL is the API gateway, e.g. https://pm.example.com:8501. */
export function LogRhythmOptionsForm(props: ConnectorOptionsFormProps) {
  const set = setterFor(props);
  const v = props.value;
  return (
    <fieldset class="gs-connector-form">
      <legend>LogRhythm Alarm API</legend>
      <p class="gs-help">The entry secret is a LogRhythm API token (Third-Party Application).</p>
      <NumberField
        label="Longest alarm comment (characters)"
        name="commentMaxChars"
        value={v.commentMaxChars}
        placeholder={2000}
        min={100}
        max={100000}
        set={set}
      />
      <CheckboxField
        label="Also read the alarm's events"
        name="includeEvents"
        value={v.includeEvents ?? true}
        set={set}
      />
      <NumberField
        label="Cache SmartResponse results for (s)"
        name="cacheTtlSeconds"
        value={v.cacheTtlSeconds}
        placeholder={60}
        min={0}
        max={3600}
        set={set}
      />
      <SchemaStatus schema={LogRhythmOptionsSchema} value={props.value} />
    </fieldset>
  );
}
