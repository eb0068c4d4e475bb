/**
 * The migrated template this run's test databases are cloned from: named per run (global setup
 * sets it), so two runs sharing one PostgreSQL (a persistent TEST_DATABASE_URL) never drop or
 * clone each other's template.
 */
export function templateDatabase(): string {
  const name = process.env.TEST_TEMPLATE_DATABASE;
  if (!name)
    throw new Error('TEST_TEMPLATE_DATABASE is not set: run the tests through jest (global setup sets it)');
  return name;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
