// SQL for channel partners.
import { type Queryable } from '../../../db/transaction';

export type ChannelPartner = {
  id: string;
  name: string;
  implementerName: string | null;
  implementerContact: string | null;
};

type PartnerRow = {
  id: string;
  name: string;
  implementer_name: string | null;
  implementer_contact: string | null;
};

const toPartner = (row: PartnerRow): ChannelPartner => ({
  id: row.id,
  name: row.name,
  implementerName: row.implementer_name,
  implementerContact: row.implementer_contact,
});

export async function insertChannelPartner(
  db: Queryable,
  partner: Omit<ChannelPartner, 'id'>,
): Promise<ChannelPartner> {
  const [row] = await db<PartnerRow>('channel_partners')
    .insert({
      name: partner.name,
      implementer_name: partner.implementerName,
      implementer_contact: partner.implementerContact,
    })
    .returning('*');
  return toPartner(row as PartnerRow);
}

export async function updateChannelPartner(
  db: Queryable,
  id: string,
  changes: Partial<Omit<ChannelPartner, 'id'>>,
): Promise<ChannelPartner> {
  const [row] = await db<PartnerRow>('channel_partners')
    .where({ id })
    .update({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.implementerName !== undefined && { implementer_name: changes.implementerName }),
      ...(changes.implementerContact !== undefined && { implementer_contact: changes.implementerContact }),
    })
    .returning('*');
  return toPartner(row as PartnerRow);
}

export async function findChannelPartnersByIds(
  db: Queryable,
  ids: readonly string[],
): Promise<ChannelPartner[]> {
  return (await db<PartnerRow>('channel_partners').whereIn('id', [...ids])).map(toPartner);
}

export async function findChannelPartnerByName(db: Queryable, name: string): Promise<ChannelPartner | null> {
  const row = await db<PartnerRow>('channel_partners').whereRaw('lower(name) = lower(?)', [name]).first();
  return row ? toPartner(row) : null;
}

export async function listChannelPartners(db: Queryable, limit: number): Promise<ChannelPartner[]> {
  return (await db<PartnerRow>('channel_partners').orderBy('name').limit(limit)).map(toPartner);
}
