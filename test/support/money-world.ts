// The set-up most in-process money tests share: a database of their own, the standard users, an
// organisation, and a use-case context per role. Call it at the top level of a test file; its
// fields are ready inside tests.
import { createTestDatabase, type TestDatabase } from './database';
import { createStandardUsers } from './factories';
import { createOrg, type Org } from './org';
import { actorOf, contextFor } from './money';

export type MoneyWorld = {
  readonly database: TestDatabase;
  readonly users: Awaited<ReturnType<typeof createStandardUsers>>;
  readonly org: Org;
  csm: () => ReturnType<typeof contextFor>;
  otherCsm: () => ReturnType<typeof contextFor>;
  finance: () => ReturnType<typeof contextFor>;
  sales: () => ReturnType<typeof contextFor>;
  admin: () => ReturnType<typeof contextFor>;
  /** Runs `stop` before the database is dropped (a job queue, a server on it). */
  beforeDrop: (stop: () => Promise<void>) => void;
};

export function moneyWorld(options: { poolMax?: number } = {}): MoneyWorld {
  let database: TestDatabase | undefined;
  let users: MoneyWorld['users'] | undefined;
  let org: Org | undefined;
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    database = await createTestDatabase(options);
    users = await createStandardUsers(database.db);
    org = await createOrg(database.db, users);
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await database?.drop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('moneyWorld is ready only inside tests (after beforeAll)');
    return value;
  };
  const world: MoneyWorld = {
    get database() {
      return ready(database);
    },
    get users() {
      return ready(users);
    },
    get org() {
      return ready(org);
    },
    csm: () => contextFor(world.database.db, actorOf(world.users.csm, world.org.csm.id)),
    otherCsm: () => contextFor(world.database.db, actorOf(world.users.otherCsm, world.org.otherCsm.id)),
    finance: () => contextFor(world.database.db, actorOf(world.users.finance)),
    sales: () => contextFor(world.database.db, actorOf(world.users.salesLeader)),
    admin: () => contextFor(world.database.db, actorOf(world.users.admin)),
    beforeDrop: (stop) => stops.push(stop),
  };
  return world;
}
