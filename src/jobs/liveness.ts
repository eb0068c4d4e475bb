// Which graphile workers are alive. graphile-worker frees a job whose worker died only 4 hours
// after it was locked; here each instance holds one database session of its own and records its
// worker ids beside that session's pid and start time. The session ends when the process does
// (kill -9 included: the kernel closes the socket, PostgreSQL ends the backend), so "the session is
// gone" is an exact, immediate death certificate, and releaseDeadWorkers unlocks those jobs.
import pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from '../db/knex';
import { connectionStringOf } from './graphile';

/** A lock this old by an id that no live instance registered is an orphan. */
const UNREGISTERED_LOCK_AGE_S = 60;

/** How long to wait before a lost liveness session is opened again. */
const RECONNECT_DELAY_MS = 1_000;

export type Liveness = {
  register: (workerId: string) => Promise<void>;
  stop: () => Promise<void>;
};

export async function startLiveness(db: Database, instanceId: string, logger: Logger): Promise<Liveness> {
  const workerIds = new Set<string>();
  let client: pg.Client | null = null;
  let stopped = false;

  const registerAll = async (session: pg.Client, ids: Iterable<string>) => {
    for (const workerId of ids)
      await session.query(
        `insert into worker_liveness (worker_id, instance_id, backend_pid, backend_start)
           select $1, $2, pid, backend_start from pg_stat_activity where pid = pg_backend_pid()
         on conflict (worker_id) do update
           set backend_pid = excluded.backend_pid, backend_start = excluded.backend_start`,
        [workerId, instanceId],
      );
  };
  const connect = async (): Promise<void> => {
    const session = new pg.Client({
      connectionString: connectionStringOf(db),
      application_name: `service-ledger-liveness ${instanceId}`,
    });
    // A lost session (database restart, dropped connection) is opened again and the workers
    // registered anew; until then another instance may take this one's jobs (at least once).
    session.on('error', (error) => {
      logger.warn({ err: error }, 'liveness session lost; reconnecting');
      client = null;
      if (!stopped) setTimeout(() => void connect().catch(() => undefined), RECONNECT_DELAY_MS).unref();
    });
    await session.connect();
    await registerAll(session, workerIds);
    client = session;
  };
  await connect();

  return {
    async register(workerId) {
      workerIds.add(workerId);
      if (client) await registerAll(client, [workerId]);
    },
    async stop() {
      stopped = true;
      const session = client;
      client = null;
      if (!session) return;
      await session
        .query('delete from worker_liveness where instance_id = $1', [instanceId])
        .catch(() => undefined);
      await session.end().catch(() => undefined);
    },
  };
}

/** Unlocks the jobs and queues of every worker whose instance's session is gone; answers their ids. */
export async function releaseDeadWorkers(db: Database): Promise<string[]> {
  // One transaction: a worker is forgotten only together with its jobs being unlocked.
  return db.transaction(async (trx) => {
    const result = await trx.raw<{ rows: { worker_ids: string[] }[] }>(
      `with dead as (
         delete from worker_liveness w
         where not exists (select 1 from pg_stat_activity a
                           where a.pid = w.backend_pid and a.backend_start = w.backend_start)
         returning worker_id)
       select coalesce(array_agg(worker_id), '{}') as worker_ids from dead`,
    );
    // A lock by an id never registered (its instance died in the moment between creating the
    // worker and registering it) is an orphan too, once older than any registration takes.
    const orphans = await trx.raw<{ rows: { locked_by: string }[] }>(
      `select distinct locked_by from graphile_worker._private_jobs
        where locked_by is not null and locked_at < now() - make_interval(secs => ?)
          and locked_by not in (select worker_id from worker_liveness)
       union
       select distinct locked_by from graphile_worker._private_job_queues
        where locked_by is not null and locked_at < now() - make_interval(secs => ?)
          and locked_by not in (select worker_id from worker_liveness)`,
      [UNREGISTERED_LOCK_AGE_S, UNREGISTERED_LOCK_AGE_S],
    );
    const workerIds = [...result.rows[0]!.worker_ids, ...orphans.rows.map((row) => row.locked_by)];
    if (workerIds.length > 0)
      await trx.raw('select graphile_worker.force_unlock_workers(?::text[])', [workerIds]);
    return workerIds;
  });
}
