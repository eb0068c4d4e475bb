// Input rules for webhook endpoints, one place each.
import { ValidationError } from '../../shared/errors';
import { optionalText } from '../../shared/text';
import { validateWebhookUrl } from './targets';

export const DESCRIPTION_MAX = 500;
/** More event types than exist would only be a typo repeated. */
export const EVENT_TYPES_MAX = 50;

export function validateEndpointInput(
  input: { url: string; description?: string | null; eventTypes?: readonly string[] | null },
  allowPrivate: boolean,
): { url: string; description: string; eventTypes: string[] } {
  const url = validateWebhookUrl(input.url.trim(), 'input.url', allowPrivate).toString();
  const description = optionalText(input.description, 'input.description', DESCRIPTION_MAX) ?? '';
  const eventTypes = [...new Set(input.eventTypes ?? [])];
  if (eventTypes.length > EVENT_TYPES_MAX)
    throw new ValidationError('input.eventTypes', `at most ${EVENT_TYPES_MAX} event types`);
  return { url, description, eventTypes: eventTypes.sort() };
}
