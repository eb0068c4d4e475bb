// Checks of an account's fields that need the database: the sales rep and the channel partner named.
import { type Transaction } from '../../db/transaction';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { requireId } from '../../shared/ids';
import { findPersonById } from '../teams/repository';
import * as repository from './repository';

/** The longest free-text field of an account (industry, region, external id, contact). */
export const TEXT_LENGTH_MAX = 100;

/** A sales rep must be a person of the SALES department. */
export async function checkSalesRep(
  trx: Transaction,
  personId: string | null | undefined,
  field: string,
): Promise<string | null | undefined> {
  if (personId === undefined || personId === null) return personId;
  const id = requireId(personId, field);
  const person = await findPersonById(trx, id);
  if (!person) throw new NotFoundError('Person', id, field);
  if (person.department !== 'SALES')
    throw new ValidationError(field, `${person.name} is not in the SALES department`);
  return id;
}

export async function checkPartner(
  trx: Transaction,
  partnerId: string | null | undefined,
  field: string,
): Promise<string | null | undefined> {
  if (partnerId === undefined || partnerId === null) return partnerId;
  const id = requireId(partnerId, field);
  const [partner] = await repository.findChannelPartnersByIds(trx, [id]);
  if (!partner) throw new NotFoundError('ChannelPartner', id, field);
  return id;
}
