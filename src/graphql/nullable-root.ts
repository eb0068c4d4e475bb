// Every root query field is nullable: a field the caller may not read, or one that fails, answers
// null with an error at its path, and the rest of the query still answers (a dashboard that asks
// for `me` and `budgetTransfers` as a CSM keeps `me`). Inside an answer, fields keep the
// nullability their types declare. A Pothos plugin, so the rule has one place and no field can
// forget it; the schema-drift test checks the printed schema.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';

declare global {
  // Pothos registers plugins by merging into its global namespace; there is no module form.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      nullableRootQuery: NullableRootQueryPlugin<Types>;
    }
  }
}

export class NullableRootQueryPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    if (fieldConfig.kind !== 'Query') return fieldConfig;
    return { ...fieldConfig, type: { ...fieldConfig.type, nullable: true } };
  }
}

SchemaBuilder.registerPlugin('nullableRootQuery', NullableRootQueryPlugin);

export default 'nullableRootQuery' as const;
