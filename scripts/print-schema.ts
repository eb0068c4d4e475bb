// `npm run schema`: prints the Pothos schema to schema/schema.graphql (committed; a test fails
// when the file and the code disagree).
import fs from 'node:fs';
import path from 'node:path';
import { printSchemaText } from '../src/graphql/print';

const target = path.resolve(__dirname, '../schema/schema.graphql');
fs.writeFileSync(target, printSchemaText());
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
