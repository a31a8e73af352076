import type { Run, RunOutput } from '../../core/api.ts';
import type { ContentPush, Job } from '../../core/messages.ts';
import type { Pin } from '../../core/pins.ts';

/**
 * What of a run's output the console page may hold. The text the plugin printed (stdout, stderr) and its
 * JSON (`data`) are shown only in the output frame (core/output-frame.ts), an extension page the page
 * cannot read; the content script gets the output's shape without its content: exit code, truncation,
 * the verdict chips (taxonomies) and the observables to pivot on, which the worker derived from the result
 * and which the panel's chips need (docs/security.md, "Plugin output stays out of the page").
 */

export function outputForPage(output: RunOutput): RunOutput {
  const { stdout: _stdout, stderr: _stderr, data: _data, ...shape } = output;
  return { ...shape, stdout: '', stderr: '' };
}

export function runForPage(run: Run): Run {
  return run.output ? { ...run, output: outputForPage(run.output) } : run;
}

export function jobForPage(job: Job): Job {
  return job.run ? { ...job, run: runForPage(job.run) } : job;
}

/** A pin keeps its verdicts, who and when, and the note; its stdout summary stays with the frame too. */
export function pinForPage(pin: Pin): Pin {
  return { ...pin, summary: '', output: pin.output ? outputForPage(pin.output) : null };
}

export function pushForPage(message: ContentPush): ContentPush {
  if (message.type === 'job.update') return { ...message, job: jobForPage(message.job) };
  if (message.type === 'jobs.update') return { ...message, jobs: message.jobs.map(jobForPage) };
  return message;
}
