import { isRetryableDatabaseError } from '../../src/db/errors';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

test.each([
  ['pg_terminate_backend', withCode('57P01', 'terminating connection due to administrator command')],
  ['server starting up', withCode('57P03', 'the database system is starting up')],
  ['connection exception class', withCode('08006')],
  ['serialization failure', withCode('40001')],
  ['deadlock', withCode('40P01')],
  ['refused socket', withCode('ECONNREFUSED')],
  ['lost connection in words', new Error('Connection terminated unexpectedly')],
  ['knex rollback rewrap', new Error('ROLLBACK - read ECONNRESET')],
  ['broken client', new Error('COMMIT; - Client has encountered a connection error and is not queryable')],
  [
    'pool timeout',
    Object.assign(new Error('Knex: Timeout acquiring a connection.'), { name: 'KnexTimeoutError' }),
  ],
  ['wrapped cause', new Error('outer', { cause: withCode('57P01') })],
  ['aggregate of refusals', Object.assign(new Error(''), { errors: [withCode('ECONNREFUSED')] })],
])('retryable: %s', (_name, error) => {
  expect(isRetryableDatabaseError(error)).toBe(true);
});

test.each([
  ['unique violation', withCode('23505', 'duplicate key value violates unique constraint')],
  ['check violation', withCode('23514')],
  ['syntax error', withCode('42601')],
  ['statement timeout (the query itself is too slow)', withCode('57014')],
  ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ['not an error', 'ECONNRESET?'],
  ['null', null],
])('not retryable: %s', (_name, error) => {
  expect(isRetryableDatabaseError(error)).toBe(false);
});
