// Channel partners, who serve tier E customers: ADMIN creates and edits them; everyone reads.
import { inTransaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { ConflictError, NotFoundError, requireSomeChange } from '../../shared/errors';
import { requireId } from '../../shared/ids';
import { optionalText } from '../../shared/text';
import { recordAudit } from '../audit/repository';
import { validateName } from '../../shared/text';
import * as repository from './repository';
import type { ChannelPartner } from './repository';
import { TEXT_LENGTH_MAX } from './validate';

export async function createChannelPartner(
  context: UseCaseContext,
  input: { name: string; implementerName?: string | null; implementerContact?: string | null },
): Promise<ChannelPartner> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may manage channel partners');
  const name = validateName(input.name, 'input.name');
  return inTransaction(context.db, async (trx) => {
    if (await repository.findChannelPartnerByName(trx, name))
      throw new ConflictError(`a channel partner named ${name} exists`, 'input.name');
    const partner = await repository.insertChannelPartner(trx, {
      name,
      implementerName: input.implementerName
        ? validateName(input.implementerName, 'input.implementerName')
        : null,
      implementerContact:
        optionalText(input.implementerContact, 'input.implementerContact', TEXT_LENGTH_MAX) ?? null,
    });
    await recordAudit(trx, context, {
      action: 'channelPartner.create',
      entityType: 'ChannelPartner',
      entityId: partner.id,
      after: partner,
    });
    return partner;
  });
}

export async function updateChannelPartner(
  context: UseCaseContext,
  input: {
    partnerId: string;
    name?: string | null;
    implementerName?: string | null;
    implementerContact?: string | null;
  },
): Promise<ChannelPartner> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may manage channel partners');
  const { partnerId: _partnerId, ...changes } = input;
  requireSomeChange(changes);
  const partnerId = requireId(input.partnerId, 'input.partnerId');
  return inTransaction(context.db, async (trx) => {
    const [before] = await repository.findChannelPartnersByIds(trx, [partnerId]);
    if (!before) throw new NotFoundError('ChannelPartner', partnerId, 'input.partnerId');
    const name = input.name != null ? validateName(input.name, 'input.name') : undefined;
    const namesake = name === undefined ? null : await repository.findChannelPartnerByName(trx, name);
    if (namesake && namesake.id !== partnerId)
      throw new ConflictError(`a channel partner named ${name} exists`, 'input.name');
    const after = await repository.updateChannelPartner(trx, partnerId, {
      name,
      implementerName:
        input.implementerName === undefined
          ? undefined
          : input.implementerName === null || input.implementerName.trim() === ''
            ? null
            : validateName(input.implementerName, 'input.implementerName'),
      implementerContact: optionalText(input.implementerContact, 'input.implementerContact', TEXT_LENGTH_MAX),
    });
    await recordAudit(trx, context, {
      action: 'channelPartner.update',
      entityType: 'ChannelPartner',
      entityId: partnerId,
      before,
      after,
    });
    return after;
  });
}

/** The most channel partners one list answers. */
export const CHANNEL_PARTNERS_LIST_MAX = 500;

/** Channel partners by name: every signed-in role reads them. */
export function listChannelPartners(context: UseCaseContext): Promise<ChannelPartner[]> {
  return repository.listChannelPartners(context.db, CHANNEL_PARTNERS_LIST_MAX);
}
