// What a use case needs to know about the request: who asks, which request to audit it under,
// and the services it runs on. It lives below both the GraphQL layer and the modules, so a
// service never imports from the GraphQL layer; the GraphQL context is a superset of it.
import type { Config } from '../config';
import type { Database } from '../db/knex';
import type { Actor } from './auth';
import type { FiscalCalendar } from './fiscal';

export type UseCaseContext = {
  db: Database;
  config: Config;
  fiscalCalendar: FiscalCalendar;
  requestId: string;
  actor: Actor | null;
};
