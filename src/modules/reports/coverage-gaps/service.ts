// Coverage gaps across the accounts the caller may read (a CSM their own), a page at a time.
import type { UseCaseContext } from '../../../shared/context';
import { countedConnection, type Connection, type ConnectionArgs } from '../../../shared/pagination';
import { csmScope } from '../../customers/access';
import type { GapKind } from '../../routing/rules';
import * as repository from './repository';
import type { CoverageGapRow } from './repository';

export type { CoverageGapRow };

/** Every missing assignment across the accounts the caller may read, key accounts first, a page at a time. */
export async function coverageGaps(
  context: UseCaseContext,
  page: ConnectionArgs,
  kinds: readonly GapKind[] | null,
): Promise<Connection<CoverageGapRow>> {
  const filter = { visibleToCsmPersonId: csmScope(context.actor), kinds };
  return countedConnection(page, (window) => repository.findCoverageGaps(context.db, filter, window));
}
