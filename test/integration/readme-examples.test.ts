// Every GraphQL example in README.md, run in README order against the demo data with the token
// the example names. An example block starts with `# as <token>`; operations in a block are
// separated by blank lines; a `# → <JSON>` comment after an operation (it may continue over the
// next `#` lines), or a ```json block right after the graphql block, is what its `data` holds:
// every value it states must be in the answer (objects may hold more keys; lists are compared
// whole). No example may answer an error. Variables are named in the README and resolved here
// from the demo: $accountA, $jinlong, $service, $day. The examples name fiscal year 2026, the
// demo's year when first loaded in 2026; this test runs them in the current fiscal year.
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { parse, Kind, type OperationDefinitionNode } from 'graphql';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, testConfig, type TestServer } from '../support/server';
import { seedDemo } from '../../seeds/demo';
import { fiscalYearOf } from '../../src/shared/fiscal';
import { inDays } from '../support/money';

type Example = { block: number; token: string; query: string; expected: unknown };

const README = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
const config = testConfig();
const fiscalYear = fiscalYearOf(config.fiscal, DateTime.now());
const inThisYear = (text: string) =>
  text.replace(/(fiscalYear"?:\s*)2026\b/g, `$1${fiscalYear}`).replace(/FY2026\b/g, `FY${fiscalYear}`);

/** The README's graphql blocks, each followed by the json block that answers it, if any. */
function examplesOf(markdown: string): Example[] {
  const fences = [...markdown.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[1]!,
    body: m[2]!,
    end: m.index! + m[0].length,
    start: m.index!,
  }));
  const examples: Example[] = [];
  fences.forEach((fence, index) => {
    if (fence.lang !== 'graphql') return;
    const lines = fence.body.split('\n');
    const token = /^# as (\S+)$/.exec(lines[0] ?? '')?.[1];
    if (!token) throw new Error(`README graphql block ${index} does not start with "# as <token>"`);
    const chunks = lines
      .slice(1)
      .join('\n')
      .split(/\n\s*\n/)
      .filter((c) => c.trim() !== '');
    for (const chunk of chunks) {
      const code = chunk.split('\n').filter((l) => !l.startsWith('#'));
      const comments = chunk.split('\n').filter((l) => l.startsWith('#'));
      const arrow = comments.findIndex((l) => l.startsWith('# → '));
      const expectedText =
        arrow < 0
          ? null
          : [comments[arrow]!.slice(4), ...comments.slice(arrow + 1).map((l) => l.slice(1))].join('\n');
      examples.push({
        block: index,
        token,
        query: code.join('\n'),
        expected: expectedText === null ? undefined : JSON.parse(expectedText),
      });
    }
    const next = fences[index + 1];
    const between = next ? markdown.slice(fence.end, next.start) : '';
    if (next?.lang === 'json' && between.trim() === '')
      examples[examples.length - 1]!.expected = JSON.parse(next.body);
  });
  return examples;
}

/** Every value `expected` states is in `actual`: object keys may be more, lists match whole. */
function mismatches(actual: unknown, expected: unknown, at = 'data'): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length)
      return [`${at}: expected a list of ${expected.length}, got ${JSON.stringify(actual)?.slice(0, 300)}`];
    return expected.flatMap((item, i) => mismatches(actual[i], item, `${at}[${i}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object')
      return [`${at}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([key, value]) =>
      mismatches((actual as Record<string, unknown>)[key], value, `${at}.${key}`),
    );
  }
  return Object.is(actual, expected)
    ? []
    : [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

let database: TestDatabase;
let server: TestServer;
const variables: Record<string, unknown> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  await seedDemo(database.db, { config, fiscalYear });
  const idOf = async (table: string, where: Record<string, unknown>) =>
    ((await database.db(table).where(where).first('id')) as { id: string }).id;
  variables.accountA = await idOf('customers', { name: 'Account A' });
  variables.jinlong = await idOf('customers', { name: 'Jinlong Retail' });
  variables.service = await idOf('expert_services', { name: 'Free product trial' });
  variables.day = inDays(7);
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

const examples = examplesOf(README);

test('the README has its GraphQL examples, each naming a demo token', () => {
  expect(examples).toHaveLength(19);
  expect(new Set(examples.map((e) => e.token))).toEqual(
    new Set(['demo_admin_token', 'demo_csm_token', 'demo_finance_token', 'demo_sales_leader_token']),
  );
});

test.each(examples.map((example, i) => [i, example.query.split('\n')[0]!.slice(0, 70), example] as const))(
  'example %i: %s',
  async (_i, _first, example) => {
    const query = inThisYear(example.query);
    const operation = parse(query).definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    )!;
    const names = (operation.variableDefinitions ?? []).map((v) => v.variable.name.value);
    for (const name of names) expect(`$${name}: ${name in variables}`).toBe(`$${name}: true`);
    const given = Object.fromEntries(names.map((name) => [name, variables[name]]));
    const answer = await server.graphql(example.token, query, given);
    if (process.env.README_EXAMPLES_PRINT) console.log(JSON.stringify(answer.data));
    expect(answer.errors).toBeUndefined();
    expect(answer.data).not.toBeNull();
    if (example.expected !== undefined)
      expect(mismatches(answer.data, JSON.parse(inThisYear(JSON.stringify(example.expected))))).toEqual([]);
  },
);
