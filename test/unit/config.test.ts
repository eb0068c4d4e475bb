import { ConfigError, loadConfig } from '../../src/config';

describe('configuration', () => {
  test('defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      fiscal: { startMonth: 1, timeZone: 'Asia/Shanghai' },
      defaultCurrency: 'CNY',
      demoSeed: true,
      graphiql: true,
      databaseUrl: undefined,
    });
  });

  test.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number from 0 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT must be a whole number'],
    [{ FISCAL_YEAR_START_MONTH: '13' }, 'FISCAL_YEAR_START_MONTH must be a whole number from 1 to 12'],
    [{ FISCAL_TIME_ZONE: 'Mars/Olympus' }, 'FISCAL_TIME_ZONE must be an IANA time zone'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL'],
    [{ DEFAULT_CURRENCY: 'yuan' }, 'DEFAULT_CURRENCY must be an ISO 4217 code'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ NODE_ENV: 'production' }, 'TOKEN_HASH_KEY must be set in production'],
    [{ TOKEN_HASH_KEY: 'short' }, 'TOKEN_HASH_KEY must be at least 16 characters'],
    [{ DEMO_SEED: 'yes' }, 'DEMO_SEED'],
  ])('%o is refused naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  test.each([
    [{ DATABASE_URL: 'mysql://app:s3cret-pass@db.internal/x' }, 's3cret-pass'],
    [{ TOKEN_HASH_KEY: 'tiny-secret' }, 'tiny-secret'],
  ])('a refused secret %o is named but not echoed', (env, secret) => {
    expect(() => loadConfig(env)).toThrow(Object.keys(env)[0]);
    let message = '';
    try {
      loadConfig(env);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain(secret);
    expect(message).not.toContain('got');
  });

  test('production refuses the demo data, whose tokens are published', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', TOKEN_HASH_KEY: 'a-long-production-secret', DEMO_SEED: 'true' }),
    ).toThrow('DEMO_SEED cannot be true in production');
  });

  test('production turns demo data and GraphiQL off unless asked', () => {
    const config = loadConfig({ NODE_ENV: 'production', TOKEN_HASH_KEY: 'a-long-production-secret' });
    expect(config.demoSeed).toBe(false);
    expect(config.graphiql).toBe(false);
  });

  test('empty strings count as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(4000);
  });
});
