// Builds the executable schema: scalars and errors first, then every module's types and fields.
import { builder } from './builder';
import './scalars';
import './errors';
import '../modules/users/graphql';
import '../modules/audit/graphql';
import '../modules/calendar/graphql';
import '../modules/teams/graphql';
import '../modules/customers/graphql';
import '../modules/routing/graphql';
import '../modules/catalog/graphql';
import '../modules/budgets/graphql';
import '../modules/orders/graphql';
import '../modules/outcomes/graphql';
import '../modules/reports/period/graphql';
import '../modules/reports/allocation/graphql';
import '../modules/reports/roi/graphql';
import '../modules/reports/coverage-gaps/graphql';
import '../modules/reports/signals/graphql';
import '../modules/events/graphql';
import '../modules/webhooks/graphql';

export const schema = builder.toSchema({ sortSchema: true });
