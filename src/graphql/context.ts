// The per-request context every resolver receives. It holds no state beyond the request, so
// any instance behind a load balancer can serve any request.
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../db/knex';
import type { Actor } from '../shared/auth';
import type { FiscalCalendar } from '../shared/fiscal';

export type Services = {
  db: Database;
  config: Config;
  logger: Logger;
  fiscalCalendar: FiscalCalendar;
};

export type RequestContext = Services & {
  requestId: string;
  actor: Actor | null;
};

/** What a use case needs to know about the request: who, and which request to audit it under. */
export type UseCaseContext = Pick<RequestContext, 'db' | 'actor' | 'requestId' | 'fiscalCalendar' | 'config'>;
