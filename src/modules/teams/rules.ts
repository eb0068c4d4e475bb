// Pure rules for teams and people: the vocabularies and what a valid person, rate and team are.
import { ValidationError } from '../../shared/errors';
import { refuseInvisibleCharacters } from '../../shared/text';
import type { Decimal } from '../../shared/money';

export const TEAM_KINDS = ['DELIVERY', 'SUPPORT', 'CSM', 'EXPERT'] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

export const DEPARTMENTS = ['SERVICE', 'SALES', 'SOLUTIONS', 'PRESALES', 'DELIVERY'] as const;
export type Department = (typeof DEPARTMENTS)[number];

export const SKILLS_MAX = 50;
export const SKILL_LENGTH_MAX = 60;
export const COST_RATE_PER_HOUR_MAX = '100000';

export function validateSkills(skills: readonly string[], field: string): string[] {
  skills.forEach((skill, index) => refuseInvisibleCharacters(skill, `${field}.${index}`));
  const trimmed = skills.map((skill) => skill.normalize('NFC').trim());
  const blank = trimmed.findIndex((skill) => skill.length === 0);
  if (blank >= 0) throw new ValidationError(`${field}.${blank}`, `skill ${blank + 1} is empty`);
  const cleaned = [...new Set(trimmed)];
  if (cleaned.length > SKILLS_MAX) throw new ValidationError(field, `at most ${SKILLS_MAX} skills`);
  const tooLong = cleaned.find((skill) => skill.length > SKILL_LENGTH_MAX);
  if (tooLong)
    throw new ValidationError(
      field,
      `skill "${tooLong.slice(0, 20)}…" is longer than ${SKILL_LENGTH_MAX} characters`,
    );
  return cleaned;
}

export function validateCostRate(rate: Decimal, field: string): Decimal {
  if (rate.isNegative()) throw new ValidationError(field, 'a cost rate cannot be negative');
  if (rate.decimalPlaces() > 2) throw new ValidationError(field, 'a cost rate has at most 2 decimal places');
  if (rate.greaterThan(COST_RATE_PER_HOUR_MAX)) {
    throw new ValidationError(field, `a cost rate above ${COST_RATE_PER_HOUR_MAX} per hour is not plausible`);
  }
  return rate;
}

/** Which departments may staff which kind of team (experts come from service, sales, solutions, pre-sales). */
export function departmentFitsTeam(department: Department, kind: TeamKind): boolean {
  if (kind === 'EXPERT') return department !== 'DELIVERY';
  return true;
}
