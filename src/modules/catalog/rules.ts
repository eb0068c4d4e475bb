// Pure rules of the expert-service catalog: kinds, effects, and what a valid price is.
import { ValidationError } from '../../shared/errors';
import { type Decimal, validateMoney } from '../../shared/money';
import { validateName } from '../../shared/text';
import type { Department } from '../teams/rules';

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

/** The longest description of a service. */
export const DESCRIPTION_LENGTH_MAX = 2000;

/** A new service's own fields, checked: the code upper-cased, effects only for free services, each once. */
export function validateNewService(input: {
  code: string;
  name: string;
  kind: ServiceKind;
  providingDepartment: Department;
  description?: string | null;
  effects?: readonly Effect[] | null;
}): { code: string; name: string; description: string; effects: Effect[] } {
  const code = input.code.trim().toUpperCase();
  if (!SERVICE_CODE_PATTERN.test(code))
    throw new ValidationError('input.code', 'code must be 2–40 of A–Z, 0–9, _ and -');
  const name = validateName(input.name, 'input.name');
  const description = (input.description ?? '').trim();
  if (description.length > DESCRIPTION_LENGTH_MAX)
    throw new ValidationError(
      'input.description',
      `description is longer than ${DESCRIPTION_LENGTH_MAX} characters`,
    );
  const effects = [...new Set(input.effects ?? [])];
  if (input.kind === 'PAID' && effects.length > 0)
    throw new ValidationError('input.effects', 'effects describe free services only');
  if (
    input.kind === 'FREE' &&
    !(FREE_SERVICE_DEPARTMENTS as readonly string[]).includes(input.providingDepartment)
  )
    throw new ValidationError(
      'input.providingDepartment',
      'free services are delivered by the service, solutions or pre-sales departments',
    );
  return { code, name, description, effects };
}
