// The per-request context every resolver receives: the use-case context (shared/context.ts) and
// the logger. It holds no state beyond the request, so any instance behind a load balancer can
// serve any request.
import type { Logger } from 'pino';
import type { UseCaseContext } from '../shared/context';

export type Services = Omit<UseCaseContext, 'requestId' | 'actor'> & { logger: Logger };

export type RequestContext = Services & Pick<UseCaseContext, 'requestId' | 'actor'>;
