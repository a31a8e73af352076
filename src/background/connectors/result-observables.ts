import type { Run } from '../../core/api.ts';
import { observablesOfOutput } from '../../core/result-observables.ts';
import { isFinished } from '../../core/run-status.ts';

/**
 * Every connector's finished run carries the observables its result names. A connector that knows them
 * itself (Cortex: the report's artifacts) sets `output.observables`; for the others (Gridside plugins,
 * StackStorm, LogRhythm, webhooks) they are found here in the output's JSON and text, once, when the run
 * finishes. `given` are the values the run was started with, which are not new.
 */
export function withObservables(run: Run, given: readonly string[]): Run {
  const output = run.output;
  if (!output || output.observables !== undefined || !isFinished(run.status)) return run;
  return { ...run, output: { ...output, observables: observablesOfOutput(output, given) } };
}
