// What a use case refused with, as the caller sees it: the error class, the field it names and
// its words; or 'done' when it went through. For tables of refusals and their exact messages.
export async function refusal(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
    return 'done';
  } catch (error) {
    const e = error as Error & { field?: string | null };
    return { error: e.constructor.name, field: e.field ?? null, message: e.message };
  }
}
