// Pure rules of the expert-service catalog: kinds, effects, and what a valid price is.
import { ValidationError } from '../../shared/errors';
import { type Decimal, validateMoney } from '../../shared/money';

export const SERVICE_KINDS = ['PAID', 'FREE'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export const EFFECTS = [
  'OPPORTUNITY',
  'PRICE_ACCEPTANCE',
  'SOLUTION_ACCEPTANCE',
  'RELATIONSHIP_CLOSENESS',
] as const;
export type Effect = (typeof EFFECTS)[number];

/** Free expert services may be delivered by the service, solution or pre-sales departments. */
export const FREE_SERVICE_DEPARTMENTS = ['SERVICE', 'SOLUTIONS', 'PRESALES'] as const;

export const SERVICE_CODE_PATTERN = /^[A-Z0-9_-]{2,40}$/;

export type PriceInput = {
  settlementPrice?: Decimal | null;
  listPrice?: Decimal | null;
  internalCost?: Decimal | null;
};

/** A FREE service has a settlement price only; a PAID one a list price and an internal cost. */
export function validatePriceForKind(kind: ServiceKind, price: PriceInput, path: string): PriceInput {
  if (kind === 'FREE') {
    if (!price.settlementPrice)
      throw new ValidationError(`${path}.settlementPrice`, 'a free service needs a settlement price');
    if (price.listPrice || price.internalCost) {
      throw new ValidationError(
        price.listPrice ? `${path}.listPrice` : `${path}.internalCost`,
        'a free service has a settlement price, not a list price or internal cost',
      );
    }
    return { settlementPrice: validateMoney(price.settlementPrice, `${path}.settlementPrice`) };
  }
  if (!price.listPrice) throw new ValidationError(`${path}.listPrice`, 'a paid service needs a list price');
  if (!price.internalCost)
    throw new ValidationError(`${path}.internalCost`, 'a paid service needs an internal cost');
  if (price.settlementPrice)
    throw new ValidationError(`${path}.settlementPrice`, 'a paid service has no settlement price');
  return {
    listPrice: validateMoney(price.listPrice, `${path}.listPrice`),
    internalCost: validateMoney(price.internalCost, `${path}.internalCost`),
  };
}
