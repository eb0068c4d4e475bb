// All background work, on graphile-worker in the service's own PostgreSQL (no other process for
// `npm start`). Every instance runs a worker; the database decides which one runs a job, so a job
// never runs twice at once across instances:
// - recurring work with a period in milliseconds (the report roll-up, the reservation-expiry
//   sweep) is one job per task under a fixed job key, in a queue of its own (serial), that sets
//   its next run when it ends: runs of a task never overlap and start at least a period apart,
//   however many instances there are;
// - work on the clock (the daily checks, pruning, releasing dead workers) is graphile cron, which
//   lets one instance take each minute's slot;
// - webhook deliveries are enqueued by the transaction that wrote their event (the outbox).
import { EventEmitter } from 'node:events';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import {
  parseCronItems,
  run,
  type JobHelpers,
  type Runner,
  type Task,
  type WorkerEvents,
} from 'graphile-worker';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../db/knex';
import { expireLapsedBookings } from '../modules/budgets/service';
import { runDailyChecks } from '../modules/events/periodic/daily-checks';
import { rollUpAll } from '../modules/reports/rollup';
import { deliverWebhook } from '../modules/webhooks/deliver';
import { pruneIdempotencyKeys } from '../shared/idempotency';
import { graphileLogger, queuePool } from './graphile';
import { releaseDeadWorkers, startLiveness } from './liveness';
import { pruneJobRuns, recordJobRun, type JobDetail } from './runs';

export type JobQueue = { instanceId: string; stop: () => Promise<void> };

type Deps = { db: Database; config: Config; logger: Logger };

/** A recurring task's job key and queue (one per task: serial across instances). */
export const recurringKey = (task: string): string => `recurring:${task}`;

/**
 * Runs `work` and records the run in job_runs. A failure is recorded, then thrown when
 * `retry` (graphile-worker retries the job with exponential backoff) or swallowed (a recurring
 * job's next period is its retry, and a throw would fork its chain).
 */
async function recorded(
  deps: Deps,
  instanceId: string,
  task: string,
  work: () => Promise<JobDetail>,
  retry: boolean,
): Promise<void> {
  const startedAt = new Date();
  let failure: unknown = null;
  let detail: JobDetail;
  try {
    detail = await work();
  } catch (error) {
    failure = error;
    detail = { error: (error as Error).message };
    deps.logger.error({ err: error, task }, 'background job failed');
  }
  const outcome = failure === null ? 'DONE' : 'FAILED';
  await recordJobRun(deps.db, { task, instanceId, startedAt, outcome, detail }).catch((error) =>
    deps.logger.error({ err: error, task }, 'cannot record a background job run'),
  );
  if (failure !== null && retry) throw failure;
}

const isStartup = (payload: unknown) =>
  typeof payload === 'object' && payload !== null && (payload as { startup?: unknown }).startup === true;

/**
 * The start-up daily checks, run unless some instance ran them this hour. The look and the run
 * share one advisory lock, so instances that start together run them once: a second start-up job
 * waits for the first, then finds its recorded run. (Looked for when the job was added, an
 * instance could look before the first run was recorded and add after its job was removed: two
 * runs, seen once in CI.)
 */
async function startupDailyChecks(db: Database, dailyChecks: () => Promise<void>) {
  await db.transaction(async (trx) => {
    await trx.raw(`select pg_advisory_xact_lock(hashtextextended('startup:daily_checks', 0))`);
    if (await ranWithin(trx, 'daily_checks', 60)) return;
    await dailyChecks();
  });
}

/** Whether a task ran (to the end) within the last `minutes`, on any instance. */
async function ranWithin(db: Database, task: string, minutes: number): Promise<boolean> {
  const row = await db('job_runs')
    .where({ task, outcome: 'DONE' })
    .where('started_at', '>', db.raw('now() - make_interval(mins => ?)', [minutes]))
    .first('id');
  return row !== undefined;
}

type Recurring = { task: string; intervalMs: number; work: () => Promise<JobDetail> };

function scheduleNext(
  helpers: Pick<JobHelpers, 'addJob'>,
  recurring: Recurring,
  mode: 'replace' | 'preserve_run_at',
) {
  return helpers.addJob(
    recurring.task,
    {},
    {
      jobKey: recurringKey(recurring.task),
      jobKeyMode: mode,
      queueName: recurringKey(recurring.task),
      runAt: new Date(Date.now() + recurring.intervalMs),
      maxAttempts: 1,
    },
  );
}

function recurringTask(deps: Deps, instanceId: string, recurring: Recurring): Task {
  return async (_payload, helpers) => {
    // Never throws (a failure is recorded): the next run is set when this one ends, and a run
    // killed midway is released and runs again instead.
    await recorded(deps, instanceId, recurring.task, recurring.work, false);
    await scheduleNext(helpers, recurring, 'replace');
  };
}

function recurringWork(deps: Deps): Recurring[] {
  const { db, config, logger } = deps;
  const context = {
    db,
    config,
    fiscalCalendar: config.fiscal,
    actor: null,
    requestId: 'job:expire_reservations',
  };
  const work: Recurring[] = [];
  if (config.rollupIntervalMs > 0)
    work.push({
      task: 'roll_up_reports',
      intervalMs: config.rollupIntervalMs,
      work: async () => ({ entries: await rollUpAll(db, config.fiscal) }),
    });
  if (config.expirySweepIntervalMs > 0)
    work.push({
      task: 'expire_reservations',
      intervalMs: config.expirySweepIntervalMs,
      work: async () => {
        const expired = await expireLapsedBookings(context);
        if (expired > 0) logger.info({ expired }, 'lapsed reservations released');
        return { expired };
      },
    });
  return work;
}

/** Every task an instance runs: the cron ones (retried by graphile), the deliveries, the recurring. */
function tasksOf(deps: Deps, instanceId: string, recurring: Recurring[]): Record<string, Task> {
  const { db, config, logger } = deps;
  const dailyContext = { db, config, fiscalCalendar: config.fiscal };
  const dailyChecks = () =>
    recorded(deps, instanceId, 'daily_checks', () => runDailyChecks(dailyContext), true);
  const taskList: Record<string, Task> = {
    release_dead_workers: () =>
      recorded(
        deps,
        instanceId,
        'release_dead_workers',
        async () => ({ released: (await releaseDeadWorkers(db)).length }),
        true,
      ),
    daily_checks: (payload) => (isStartup(payload) ? startupDailyChecks(db, dailyChecks) : dailyChecks()),
    prune_history: () =>
      recorded(
        deps,
        instanceId,
        'prune_history',
        async () => ({
          idempotencyKeys: await pruneIdempotencyKeys(db, config.idempotencyKeyRetentionHours),
          jobRuns: await pruneJobRuns(db),
        }),
        true,
      ),
    // A receiver's refusal is retried on deliver.ts's own schedule; a database error here throws
    // and graphile-worker retries the job with its backoff.
    deliver_webhook: (payload) => deliverWebhook({ db, config, logger }, payload),
  };
  for (const item of recurring) taskList[item.task] = recurringTask(deps, instanceId, item);
  return taskList;
}

export async function startJobQueue(deps: Deps): Promise<JobQueue> {
  const { db, config, logger } = deps;
  const instanceId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const liveness = await startLiveness(db, instanceId, logger);
  const released = await releaseDeadWorkers(db);
  if (released.length > 0) logger.warn({ workers: released }, 'released the jobs of workers that died');

  const recurring = recurringWork(deps);
  const taskList = tasksOf(deps, instanceId, recurring);

  const events: WorkerEvents = new EventEmitter();
  // Jobs are locked by the pool's id (batched fetch), queues and single jobs by a worker's: both.
  const register = (id: string) =>
    liveness.register(id).catch((error) => logger.error({ err: error }, 'cannot register a worker'));
  events.on('pool:create', ({ workerPool }) => void register(workerPool.id));
  events.on('worker:create', ({ worker }) => void register(worker.workerId));
  const pgPool = queuePool(db, config.jobs.concurrency + 2, (error) =>
    logger.warn({ err: error }, 'job queue connection lost'),
  );
  let runner: Runner;
  try {
    runner = await run({
      pgPool,
      concurrency: config.jobs.concurrency,
      pollInterval: config.jobs.pollIntervalMs,
      noHandleSignals: true,
      logger: graphileLogger(logger),
      events,
      taskList,
      // Cron is UTC; the daily checks run hourly and are idempotent per fiscal day (dedupe keys).
      parsedCronItems: parseCronItems([
        { task: 'release_dead_workers', match: '* * * * *', identifier: 'release_dead_workers' },
        { task: 'daily_checks', match: '0 * * * *', identifier: 'daily_checks' },
        { task: 'prune_history', match: '30 * * * *', identifier: 'prune_history' },
      ]),
    });
  } catch (error) {
    await liveness.stop();
    await pgPool.end().catch(() => undefined);
    throw error;
  }
  // The daily checks once at start too (a service started mid-day does not wait for the hour);
  // the job itself skips them when some instance ran them this hour (startupDailyChecks). And
  // each recurring task's job unless another instance already keeps it scheduled.
  await runner.addJob(
    'daily_checks',
    { startup: true },
    { jobKey: 'startup:daily_checks', jobKeyMode: 'unsafe_dedupe' },
  );
  for (const item of recurring) await scheduleNext(runner, item, 'preserve_run_at');

  return {
    instanceId,
    async stop() {
      await runner
        .stop()
        .catch((error) => logger.error({ err: error }, 'error while stopping the job queue'));
      await liveness.stop();
      await pgPool.end().catch(() => undefined);
    },
  };
}
