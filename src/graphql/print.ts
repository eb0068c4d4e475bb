// The schema as SDL text, exactly as committed in schema/schema.graphql.
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './schema';

export function printSchemaText(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
