// The committed SDL must be what the code prints: run `npm run schema` after changing the schema.
import fs from 'node:fs';
import path from 'node:path';
import { printSchemaText } from '../../src/graphql/print';

test('schema/schema.graphql matches the code', () => {
  const committed = fs.readFileSync(path.resolve(__dirname, '../../schema/schema.graphql'), 'utf8');
  expect(printSchemaText()).toBe(committed);
});

test('every public type and field has a description', () => {
  // Relay's own pagination fields (edges, node, cursor, pageInfo, has*Page, *Cursor) are defined
  // by the Relay specification; their types carry descriptions, their fields need none here.
  const relayStandard = (typeName: string) => typeName === 'PageInfo' || /Connection(Edge)?$/.test(typeName);
  const undocumented: string[] = [];
  let typeName = '';
  const lines = printSchemaText().split('\n');
  lines.forEach((line, index) => {
    const previous = (lines[index - 1] ?? '').trim();
    const described = previous.endsWith('"""');
    const typeMatch = /^(type|input|enum|interface|union|scalar) (\w+)/.exec(line);
    if (typeMatch) {
      typeName = typeMatch[2]!;
      if (!described) undocumented.push(typeName);
    } else if (/^\s{2}\w+(\(.*)?(:|$)/.test(line) && !described && !relayStandard(typeName)) {
      undocumented.push(`${typeName}.${line.trim()}`);
    }
  });
  expect(undocumented).toEqual([]);
});
