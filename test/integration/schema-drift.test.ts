// The committed SDL must be what the code prints: run `npm run schema` after changing the schema.
import fs from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';
import { printSchemaText } from '../../src/graphql/print';

test('schema/schema.graphql matches the code', () => {
  const committed = fs.readFileSync(path.resolve(__dirname, '../../schema/schema.graphql'), 'utf8');
  expect(printSchemaText()).toBe(committed);
});

test('every public type, field, argument and enum value has a description', () => {
  const schema = buildSchema(printSchemaText());
  const undocumented: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    if (!type.description) undocumented.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) undocumented.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : [])
          if (!arg.description) undocumented.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isEnumType(type))
      for (const value of type.getValues())
        if (!value.description) undocumented.push(`${type.name}.${value.name}`);
  }
  expect(undocumented).toEqual([]);
});
