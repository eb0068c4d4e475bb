// `npm run bench`: how many bookings per second the service takes and how fast finance's reports
// answer on a large vendor's data, each as a ratio to the database's own limit in the same run.
// Generates (once, deterministically) the data set, starts the server as its own process, drives
// it with autocannon, runs the same work straight against PostgreSQL, verifies the ledger, and
// prints a table; the figures also go to bench/results/<time>.json.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Command } from 'commander';
import { DateTime } from 'luxon';
import pg from 'pg';
import { loadConfig } from '../src/config';
import { createDatabase, type Database } from '../src/db/knex';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { migrateToLatest } from '../src/db/migrate';
import { fiscalYearOf, fiscalYearRange } from '../src/shared/fiscal';
import { allocation } from '../src/modules/reports/allocation/repository';
import { basisScope, DEFAULT_REPORT_BASIS } from '../src/modules/reports/period/basis';
import { roi } from '../src/modules/reports/roi/repository';
import { rollUpAll } from '../src/modules/reports/rollup';
import { BENCH_ADMIN_TOKEN, BENCH_FINANCE_TOKEN, generate } from './generate';
import { serviceNodeArguments } from '../scripts/service-command';

const root = path.resolve(__dirname, '..');
const program = new Command()
  .name('bench')
  .option('--accounts <n>', 'accounts to generate', '10000')
  .option('--entries <n>', 'ledger entries to generate', '1000000')
  .option('--seed <n>', 'random seed', '20261122')
  .option('--duration <s>', 'seconds per booking run', '5')
  .option('--runs <n>', 'runs per booking measurement', '3')
  .option('--report-runs <n>', 'runs per report measurement', '15')
  .option('--concurrency <list>', 'client counts', '1,4,16')
  .option('--skip-bookings', 'measure the reports only (no booking load, no RSS figure)')
  .option(
    '--database-url <url>',
    'PostgreSQL to use (default: BENCH_DATABASE_URL, else an embedded one in .data/bench-pg)',
  )
  .option(
    '--database-name <name>',
    'the generated database (default: named by accounts, entries, seed and year)',
  )
  .option('--results-dir <dir>', 'where the JSON figures go', path.join(root, 'bench/results'))
  .parse();
const options = program.opts<{
  skipBookings?: boolean;
  accounts: string;
  entries: string;
  seed: string;
  duration: string;
  runs: string;
  reportRuns: string;
  concurrency: string;
  databaseUrl?: string;
  databaseName?: string;
  resultsDir: string;
}>();
const accounts = Number(options.accounts);
const entries = Number(options.entries);
const seed = Number(options.seed);
const durationSeconds = Number(options.duration);
const runs = Number(options.runs);
const reportRuns = Number(options.reportRuns);
const concurrencies = options.concurrency.split(',').map(Number);
const config = loadConfig({
  ...process.env,
  LOG_LEVEL: 'silent',
  TOKEN_HASH_KEY: process.env.TOKEN_HASH_KEY ?? 'bench-token-hash-key-0123456789',
});
const calendar = config.fiscal;
const currentYear = fiscalYearOf(calendar, DateTime.now());

type Stats = { median: number; min: number; max: number; runs: number[] };
const stats = (values: number[]): Stats => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: values };
};
const fmt = (value: number, digits = 1) => value.toFixed(digits);
const log = (line: string) => process.stdout.write(`${line}\n`);

async function database(): Promise<{ url: string; stop: () => Promise<void> }> {
  const given = options.databaseUrl ?? process.env.BENCH_DATABASE_URL;
  if (given) return { url: given, stop: async () => undefined };
  const handle = await startEmbeddedPostgres({
    dataDir: path.join(root, '.data/bench-pg'),
    port: 54341,
    persistent: true,
  });
  return { url: handle.url('postgres'), stop: handle.stop };
}

/** The benchmark's own database, generated once per (accounts, entries, seed). */
async function prepare(adminUrl: string): Promise<{
  url: string;
  db: Database;
  keyAccountIds: string[];
  hotAccountId: string;
  serviceIds: string[];
}> {
  const name = options.databaseName ?? `bench_${accounts}_${entries}_${seed}_fy${currentYear}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
    throw new Error(`--database-name must be a lower-case SQL identifier, got ${JSON.stringify(name)}`);
  const admin = createDatabase({ url: adminUrl, poolMax: 1, statementTimeoutMs: 600_000 });
  const exists = (await admin.raw('select 1 from pg_database where datname = ?', [name])).rows.length > 0;
  if (!exists) await admin.raw(`create database ${name}`);
  await admin.destroy();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDatabase({ url: url.toString(), poolMax: 4, statementTimeoutMs: 600_000 });
  await migrateToLatest(db);
  await db.raw(
    'create table if not exists bench_meta (id int primary key, key_accounts text not null, hot text not null, services text not null)',
  );
  let meta = await db('bench_meta').where({ id: 1 }).first();
  if (!meta) {
    const started = Date.now();
    const made = await generate(db, {
      accounts,
      entries,
      seed,
      calendar,
      firstFiscalYear: currentYear - 1,
      tokenHashKey: config.tokenHashKey,
      quiet: !process.stdout.isTTY,
    });
    await db('bench_meta').insert({
      id: 1,
      key_accounts: made.keyAccountIds.join(','),
      hot: made.hotAccountId,
      services: made.serviceIds.join(','),
    });
    log(
      `generated ${accounts} accounts and ${entries} ledger entries in ${fmt((Date.now() - started) / 1000)} s`,
    );
    meta = await db('bench_meta').where({ id: 1 }).first();
  } else log(`reusing generated data in database ${name}`);
  const rollupStarted = Date.now();
  const rolled = await rollUpAll(db, calendar);
  log(`rolled up ${rolled} queued ledger entries in ${fmt((Date.now() - rollupStarted) / 1000)} s`);
  return {
    url: url.toString(),
    db,
    keyAccountIds: meta.key_accounts.split(','),
    hotAccountId: meta.hot,
    serviceIds: meta.services.split(','),
  };
}

/**
 * The server as its own process, with its access log on (LOG_LEVEL=info: one line per request,
 * as operators run it) written to a file, so the measurement includes what the log costs.
 */
async function startServer(url: string): Promise<{ child: ChildProcess; port: number; logFile: string }> {
  // The service as `npm start` runs it: compiled (built here if a source is newer).
  execFileSync(process.execPath, [path.join(root, 'scripts/build-if-stale.mjs')], { stdio: 'inherit' });
  const logFile = path.join(os.tmpdir(), `bench-server-${process.pid}.log`);
  const log = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, serviceNodeArguments(), {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: url,
      PORT: '0',
      HOST: '127.0.0.1',
      DEMO_SEED: 'false',
      LOG_LEVEL: 'info',
      TOKEN_HASH_KEY: config.tokenHashKey,
      EXPIRY_SWEEP_INTERVAL_MS: '0',
      // The load generator is one token sending thousands of requests a minute: no rate limit here.
      RATE_LIMIT_PER_MINUTE: '0',
      DB_POOL_MAX: '20',
      NODE_ENV: 'production',
      GRAPHIQL: 'false',
      // The bench measures the API: a fresh clone has no built console, and needs none here.
      CONSOLE: 'off',
    },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const output = fs.readFileSync(logFile, 'utf8');
    const listening = /localhost:(\d+)/.exec(output);
    if (listening) return { child, port: Number(listening[1]), logFile };
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How many access log lines the server wrote for GraphQL operations (one per request). */
function accessLogLines(logFile: string): number {
  let lines = 0;
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n'))
    if (line.includes('"msg":"graphql operation"')) lines += 1;
  return lines;
}

/** As long as one measured run, at most 5 s. */
const WARM_UP_SECONDS = Math.min(5, durationSeconds);
const BOOK = `mutation($input: BookFreeServiceInput!) { bookFreeService(input: $input) { __typename } }`;
/** A week ahead, kept inside the current fiscal year (whose budgets the bookings draw on). */
const plannedDate = () => {
  const lastDay = fiscalYearRange(calendar, currentYear).lastDay;
  const day = DateTime.now().setZone(calendar.timeZone).plus({ days: 7 }).toISODate()!;
  return day > lastDay ? lastDay : day;
};

/** Bookings per second through GraphQL over HTTP at a concurrency, on spread accounts or one hot one. */
async function serviceLoad(
  port: number,
  connections: number,
  pickAccount: () => string,
  serviceId: string,
  seconds = durationSeconds,
): Promise<number> {
  let booked = 0;
  let failed = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/graphql`,
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({
            query: BOOK,
            variables: {
              input: {
                accountId: pickAccount(),
                serviceId,
                plannedDate: plannedDate(),
                idempotencyKey: crypto.randomUUID(),
              },
            },
          }),
        }),
        onResponse: (status, body) => {
          if (status === 200 && body.includes('"Booking"')) booked += 1;
          else failed += 1;
        },
      },
    ],
  });
  if (failed > 0) throw new Error(`${failed} booking requests failed (of ${result.requests.total})`);
  return booked / seconds;
}

/** The same booking transaction straight against PostgreSQL: the reference. */
/** `connections` node-pg clients, each booking with `bookOnce` until the run's time is up: bookings per second. */
async function driveDirect(
  url: string,
  connections: number,
  bookOnce: (client: pg.PoolClient) => Promise<void>,
): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  const stopAt = Date.now() + durationSeconds * 1000;
  let committed = 0;
  const worker = async () => {
    const client = await pool.connect();
    try {
      while (Date.now() < stopAt) {
        await bookOnce(client);
        committed += 1;
      }
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  await pool.end();
  return committed / durationSeconds;
}

async function referenceLoad(
  url: string,
  connections: number,
  pickAccount: () => string,
  serviceId: string,
  budgetOf: Map<string, string>,
  userId: string,
): Promise<number> {
  return driveDirect(url, connections, async (client) => {
    const accountId = pickAccount();
    const budgetId = budgetOf.get(accountId)!;
    await client.query('begin');
    await client.query(
      'insert into idempotency_keys (key, operation, request_hash, actor_user_id) values ($1, $2, $3, $4)',
      [crypto.randomUUID(), 'bookFreeService', 'x', userId],
    );
    const budget = await client.query('select remaining_amount from budgets where id = $1 for update', [
      budgetId,
    ]);
    if (Number(budget.rows[0].remaining_amount) < 1) throw new Error('reference budget exhausted');
    const booking = await client.query(
      `insert into bookings (account_id, budget_id, service_id, requested_by, planned_date, state, settlement_price, currency, booked_at)
         values ($1, $2, $3, $4, $5, 'BOOKED', 1.00, 'CNY', now()) returning id`,
      [accountId, budgetId, serviceId, userId, plannedDate()],
    );
    await client.query(
      `insert into ledger_entries (budget_id, account_id, kind, amount, reserved_delta, currency, booking_id, actor_user_id) values ($1, $2, 'RESERVE', 1.00, 1.00, 'CNY', $3, $4)`,
      [budgetId, accountId, booking.rows[0].id, userId],
    );
    await client.query(
      'update budgets set reserved_amount = reserved_amount + 1.00, remaining_amount = remaining_amount - 1.00 where id = $1',
      [budgetId],
    );
    await client.query(
      `insert into audit_log (actor_user_id, action, entity_type, entity_id, account_id, after) values ($1, 'booking.book', 'Booking', $2, $3, '{}')`,
      [userId, booking.rows[0].id, accountId],
    );
    await client.query('commit');
  });
}

/**
 * The strongest reference, the physical limit of this database here: each booking is one
 * prepared call of the service's own booking function (the same rows and checks: key, budget
 * lock, decision, booking, RESERVE entry, totals, audit), from node-pg with nothing around it.
 */
async function ceilingLoad(
  url: string,
  connections: number,
  pickAccount: () => string,
  serviceId: string,
  userId: string,
): Promise<number> {
  const day = DateTime.now().setZone(calendar.timeZone).toISODate()!;
  return driveDirect(url, connections, async (client) => {
    const { rows } = await client.query({
      name: 'ceiling',
      text: 'select id from book_in_one_call($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)',
      values: [
        crypto.randomUUID(),
        userId,
        crypto.randomUUID(),
        'bookFreeService',
        'ceiling',
        null,
        true,
        null,
        pickAccount(),
        serviceId,
        day,
        currentYear,
        plannedDate(),
        '',
        null,
        [],
        ['A', 'C'],
        ['SERVICE', 'SOLUTIONS', 'PRESALES'],
      ],
    });
    if (rows.length !== 1) throw new Error('ceiling booking did not book (budget exhausted?)');
  });
}

async function timeIt(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function main(): Promise<void> {
  const pgServer = await database();
  let server: { child: ChildProcess; port: number; logFile: string } | null = null;
  const bench = await prepare(pgServer.url);
  try {
    const random = (() => {
      let state = seed;
      return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    })();
    const budgets = await bench.db('budgets').where({ fiscal_year: currentYear }).select('id', 'account_id');
    const budgetOf = new Map(budgets.map((b: { id: string; account_id: string }) => [b.account_id, b.id]));
    const spread = () => bench.keyAccountIds[Math.floor(random() * bench.keyAccountIds.length)]!;
    const hot = () => bench.hotAccountId;
    const serviceId = bench.serviceIds[0]!;
    const userId = (await bench.db('users').where({ email: 'bench.admin@bench.example' }).first('id'))
      .id as string;

    server = await startServer(bench.url);
    log(
      `server on 127.0.0.1:${server.port} (pid ${server.child.pid}); ${bench.keyAccountIds.length} key accounts; ${durationSeconds} s × ${runs} runs per cell`,
    );
    // A fresh process is measured warm, as a running service is: its code compiled by the JIT,
    // its pool connections open and their statements prepared. The warm-up is not counted.
    if (!options.skipBookings) {
      const warmUp = await serviceLoad(
        server.port,
        Math.max(...concurrencies),
        spread,
        serviceId,
        WARM_UP_SECONDS,
      );
      log(`warm-up: ${WARM_UP_SECONDS} s of bookings at ${fmt(warmUp)} TPS (not counted)`);
    }
    type Cell = { service: Stats; reference: Stats; ratio: number; ceiling: Stats; ratioToCeiling: number };
    const booking: Record<string, Cell> = {};
    const cells = [
      ['spread', spread],
      ['hot', hot],
    ] as const;
    for (const [label, pick] of options.skipBookings ? [] : cells) {
      for (const c of concurrencies) {
        const service: number[] = [];
        const reference: number[] = [];
        const ceiling: number[] = [];
        for (let run = 0; run < runs; run += 1) {
          service.push(await serviceLoad(server.port, c, pick, serviceId));
          reference.push(await referenceLoad(bench.url, c, pick, serviceId, budgetOf, userId));
          ceiling.push(await ceilingLoad(bench.url, c, pick, serviceId, userId));
        }
        const s = stats(service);
        const r = stats(reference);
        const top = stats(ceiling);
        booking[`${label}/${c}`] = {
          service: s,
          reference: r,
          ratio: s.median / r.median,
          ceiling: top,
          ratioToCeiling: s.median / top.median,
        };
        log(
          `booking ${label.padEnd(6)} ${String(c).padStart(2)} clients: service ${fmt(s.median)} TPS (${fmt(s.min)}–${fmt(s.max)}), raw ${fmt(r.median)} TPS (${fmt(r.min)}–${fmt(r.max)}), ratio ${fmt(s.median / r.median, 2)}; ceiling ${fmt(top.median)} TPS (${fmt(top.min)}–${fmt(top.max)}), ratio ${fmt(s.median / top.median, 2)}`,
        );
      }
    }
    // Without a booking load there is no load peak to report.
    const rssMb = options.skipBookings ? Number.NaN : peakRssMb(server.child.pid!);
    if (!options.skipBookings) log(`server peak RSS during the booking load: ${fmt(rssMb)} MB`);
    const loggedOperations = accessLogLines(server.logFile);
    log(`access log: ${loggedOperations} GraphQL operation lines at info (one per request)`);

    // Reports are timed at steady state: what the server's roll-up job and autovacuum do within
    // seconds of a burst (drain the queue, vacuum and analyse) is done first, and said so.
    const drained = await rollUpAll(bench.db, calendar);
    await bench.db.raw(
      'vacuum analyze ledger_entries, ledger_rollup_queue, ledger_rollup_budgets, ledger_rollup_effects, bookings, budgets',
    );
    log(`reports at steady state: ${drained} queued entries rolled up, tables vacuumed and analysed`);
    const year = currentYear - 1;
    const period = fiscalYearRange(calendar, year);
    const graphql = (query: string) =>
      fetch(`http://127.0.0.1:${server!.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_FINANCE_TOKEN}` },
        body: JSON.stringify({ query }),
      }).then(async (response) => {
        const body = (await response.json()) as { errors?: unknown };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
      });
    const reportQueries = {
      allocation: {
        graphql: () =>
          graphql(
            `{ costAllocation(period: { fiscalYear: ${year} }, groupBy: [TIER, EFFECT, MONTH], first: 200) { totalCount edges { node { keys { value } totals { spentAmount } } } grandTotal { spentAmount } } }`,
          ),
        raw: () =>
          allocation(bench.db, {
            calendar,
            from: period.start.toJSDate(),
            to: period.end.toJSDate(),
            scope: basisScope(DEFAULT_REPORT_BASIS, { kind: 'YEAR', fiscalYear: year }), // the GraphQL query's default
            groupBy: ['TIER', 'EFFECT', 'MONTH'],
            filter: {},
            limit: 201, // the connection asks one group more than its page of 200
            offset: 0,
          }),
      },
      roiTop50: {
        graphql: () =>
          graphql(
            `{ accountRoi(period: { fiscalYear: ${year} }, sort: WON_PER_SPEND, first: 50) { totalCount edges { node { account { name } spentAmount wonPerSpend } } } }`,
          ),
        raw: () =>
          roi(bench.db, {
            fiscalYear: year,
            from: period.start.toJSDate(),
            to: period.end.toJSDate(),
            scope: basisScope(DEFAULT_REPORT_BASIS, { kind: 'YEAR', fiscalYear: year }), // the GraphQL query's default
            firstDay: period.firstDay,
            lastDay: period.lastDay,
            tiers: null,
            csmPersonId: null,
            accountIds: null,
            sort: 'WON_PER_SPEND',
            limit: 51, // the connection asks one row more than its page of 50
            offset: 0,
          }),
      },
    };
    const reports: Record<string, { graphql: Stats; raw: Stats; ratio: number }> = {};
    for (const [name, query] of Object.entries(reportQueries)) {
      await query.graphql(); // warm both paths once
      await query.raw();
      const viaGraphql: number[] = [];
      const viaRaw: number[] = [];
      for (let run = 0; run < reportRuns; run += 1) {
        viaGraphql.push(await timeIt(query.graphql));
        viaRaw.push(await timeIt(query.raw));
      }
      const g = stats(viaGraphql);
      const r = stats(viaRaw);
      reports[name] = { graphql: g, raw: r, ratio: g.median / r.median };
      log(
        `report ${name.padEnd(10)}: GraphQL ${fmt(g.median)} ms (${fmt(g.min)}–${fmt(g.max)}), raw SQL ${fmt(r.median)} ms (${fmt(r.min)}–${fmt(r.max)}), ratio ${fmt(g.median / r.median, 2)}`,
      );
    }

    // The ledger must be intact after the load: no budget below zero, totals equal to the ledger.
    const broken = await bench.db.raw(`
      select b.id from budgets b
        left join (select budget_id, sum(allocated_delta) a, sum(reserved_delta) r, sum(spent_delta) s from ledger_entries group by budget_id) l on l.budget_id = b.id
       where b.remaining_amount < 0 or b.allocated_amount <> coalesce(l.a, 0) or b.reserved_amount <> coalesce(l.r, 0) or b.spent_amount <> coalesce(l.s, 0)`);
    const checked = (await bench.db('budgets').count<{ n: string }[]>('* as n'))[0]!.n;
    if (broken.rows.length > 0)
      throw new Error(
        `LEDGER CHECK FAILED: ${broken.rows.length} of ${checked} budgets are below zero or differ from their ledger`,
      );
    log(`ledger check: ${checked} budgets, none below zero, every total equals its ledger`);

    // The goals of issue 16: at 16 clients, spread ≥ 0.45 of the ceiling and ≥ 0.6 of the
    // reference; hot ≥ 0.85 of the ceiling and ≥ 1.2 of the reference.
    const BOOKING_GOALS: Record<string, { ceiling: number; reference: number }> = {
      'spread/16': { ceiling: 0.45, reference: 0.6 },
      'hot/16': { ceiling: 0.85, reference: 1.2 },
    };
    const metGoal = (key: string) => {
      const goal = BOOKING_GOALS[key];
      const cell = booking[key];
      return !!goal && !!cell && cell.ratioToCeiling >= goal.ceiling && cell.ratio >= goal.reference;
    };
    const targets = {
      bookingSpread16: metGoal('spread/16'),
      bookingHot16: metGoal('hot/16'),
      allocationUnder100ms: reports.allocation!.graphql.median <= 100,
      allocationWithin1_5xRaw: reports.allocation!.ratio <= 1.5,
      roiUnder100ms: reports.roiTop50!.graphql.median <= 100,
      roiWithin1_5xRaw: reports.roiTop50!.ratio <= 1.5,
      rssUnder200MB: rssMb <= 200,
    };
    log('');
    log(
      '| measurement | service | reference (raw SQL) | ratio | ceiling (one call) | ratio to ceiling | target |',
    );
    log('|---|---|---|---|---|---|---|');
    for (const [key, value] of Object.entries(booking)) {
      const goal = BOOKING_GOALS[key];
      const target = goal
        ? `${metGoal(key) ? 'met' : 'MISSED'} (≥ ${goal.ceiling} of ceiling, ≥ ${goal.reference} of reference)`
        : '';
      log(
        `| booking ${key} clients (TPS) | ${fmt(value.service.median)} | ${fmt(value.reference.median)} | ${fmt(value.ratio, 2)} | ${fmt(value.ceiling.median)} | ${fmt(value.ratioToCeiling, 2)} | ${target} |`,
      );
    }
    for (const [key, value] of Object.entries(reports)) {
      // Two goals, told apart: the median through GraphQL (issue 16: ≤ 100 ms) and the GraphQL
      // overhead over the raw query (≤ 1.5×, the bench's older goal).
      const fast = value.graphql.median <= 100 ? 'met' : 'MISSED';
      const close = value.ratio <= 1.5 ? 'met' : 'missed';
      log(
        `| ${key} median (ms) | ${fmt(value.graphql.median)} | ${fmt(value.raw.median)} | ${fmt(value.ratio, 2)} | | | ≤ 100 ms: ${fast}; ≤ 1.5× raw: ${close} |`,
      );
    }
    log(`| server peak RSS (MB) | ${fmt(rssMb)} | | | | | ${rssMb <= 200 ? 'met' : 'MISSED'} (≤ 200) |`);
    const resultsDir = path.resolve(options.resultsDir);
    fs.mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify(
        {
          command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
          accounts,
          entries,
          seed,
          durationSeconds,
          runs,
          reportRuns,
          booking,
          reports,
          peakRssMb: rssMb,
          accessLogLines: loggedOperations,
          targets,
        },
        null,
        2,
      ),
    );
    log(`figures written to ${path.relative(root, file)}`);
  } finally {
    if (server) {
      server.child.kill('SIGTERM');
      await new Promise((resolve) =>
        server!.child.exitCode !== null ? resolve(null) : server!.child.once('exit', resolve),
      );
      fs.rmSync(server.logFile, { force: true });
    }
    await bench.db.destroy();
    await pgServer.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
