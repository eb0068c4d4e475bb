// Every run of a periodic job, recorded: which task, which instance, when, and what it did. The
// history answers "did the sweep run, and once?" for operators and for the two-instance test.
import type { Database } from '../db/knex';

export type JobDetail = Record<string, number | string | boolean>;

/** How long the history is kept. */
export const JOB_RUN_RETENTION_DAYS = 14;

export async function recordJobRun(
  db: Database,
  run: { task: string; instanceId: string; startedAt: Date; outcome: 'DONE' | 'FAILED'; detail: JobDetail },
): Promise<void> {
  await db('job_runs').insert({
    task: run.task,
    instance_id: run.instanceId,
    started_at: run.startedAt,
    outcome: run.outcome,
    detail: run.detail,
  });
}

export async function pruneJobRuns(db: Database): Promise<number> {
  const { rowCount } = await db.raw(
    'delete from job_runs where started_at < now() - make_interval(days => ?)',
    [JOB_RUN_RETENTION_DAYS],
  );
  return rowCount ?? 0;
}
