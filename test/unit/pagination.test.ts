// Position cursors (offsetConnection, arrayConnection) as a client pages with them: forwards with
// first/after, backwards with last/before, the page flags at both ends, the empty page, and the
// refusals (a size over the limit, last without before, a cursor from elsewhere).
import { arrayConnection, encodeCursor, type ConnectionArgs } from '../../src/shared/pagination';
import { ValidationError } from '../../src/shared/errors';

const items = ['a', 'b', 'c', 'd', 'e'];
const page = async (args: ConnectionArgs) => {
  const connection = await arrayConnection(args, items);
  return {
    nodes: connection.edges.map((edge) => edge.node),
    total: await connection.totalCount(),
    ...connection.pageInfo,
  };
};
const at = (position: number) => encodeCursor(position);

test('forwards: pages of two, then the rest; each page knows where it stands', async () => {
  const first = await page({ first: 2 });
  expect(first).toEqual({
    nodes: ['a', 'b'],
    total: 5,
    hasNextPage: true,
    hasPreviousPage: false,
    startCursor: at(0),
    endCursor: at(1),
  });
  expect(await page({ first: 2, after: first.endCursor })).toMatchObject({
    nodes: ['c', 'd'],
    hasNextPage: true,
    hasPreviousPage: true,
  });
  expect(await page({ first: 2, after: at(3) })).toMatchObject({ nodes: ['e'], hasNextPage: false });
  expect(await page({ first: 2, after: at(4) })).toEqual({
    nodes: [],
    total: 5,
    hasNextPage: false,
    hasPreviousPage: true,
    startCursor: null,
    endCursor: null,
  });
  // Exactly a page left is no next page; no size is the default page.
  expect(await page({ first: 5 })).toMatchObject({ nodes: items, hasNextPage: false });
  expect(await page({})).toMatchObject({ nodes: items, hasNextPage: false });
});

test('between two cursors, and backwards from a cursor', async () => {
  expect(await page({ after: at(0), before: at(4) })).toMatchObject({
    nodes: ['b', 'c', 'd'],
    hasNextPage: false,
    hasPreviousPage: true,
  });
  expect(await page({ first: 2, after: at(0), before: at(4) })).toMatchObject({
    nodes: ['b', 'c'],
    hasNextPage: true,
  });
  expect(await page({ last: 2, before: at(4) })).toEqual({
    nodes: ['c', 'd'],
    total: 5,
    hasNextPage: true,
    hasPreviousPage: true,
    startCursor: at(2),
    endCursor: at(3),
  });
  expect(await page({ last: 2, before: at(2) })).toMatchObject({ nodes: ['a', 'b'], hasPreviousPage: false });
  expect(await page({ last: 3, before: at(1) })).toMatchObject({ nodes: ['a'], hasPreviousPage: false });
  expect(await page({ last: 2, after: at(1), before: at(4) })).toMatchObject({
    nodes: ['c', 'd'],
    hasPreviousPage: false,
  });
});

test('a page of none asks nothing and says nothing is next', async () => {
  expect(await page({ first: 0 })).toMatchObject({ nodes: [], total: 5, hasNextPage: false });
});

test.each([
  [{ first: 201 }, 'first', 'first must be between 0 and 200 (the page size limit)'],
  [{ first: -1 }, 'first', 'first must be between 0 and 200 (the page size limit)'],
  [{ last: 2 }, 'last', 'last needs before on this list: page backwards from a cursor of it'],
  [{ first: 1, last: 1 }, 'last', 'give first or last, not both'],
  [{ after: 'bm90LWEtY3Vyc29y' }, 'after', 'after is not a cursor from this list'],
  [{ before: encodeCursor(['2026-01-01', 'x']) }, 'before', 'before is not a cursor from this list'],
])('%p is refused naming %s', async (args, field, message) => {
  const error = await arrayConnection(args, items).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  expect([(error as ValidationError).field, (error as ValidationError).message]).toEqual([field, message]);
});
