// Request limits for every GraphQL operation (graphql-armor): depth, cost, aliases, directives
// and tokens, each refused with armor's error naming the limit and the value found. Introspection can be switched off
// (production default) with graphql-js's own NoSchemaIntrospectionCustomRule.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config';

export function limitPlugins(config: Config): Plugin[] {
  const limits = config.graphqlLimits;
  const plugins: Plugin[] = [
    EnvelopArmorPlugin({
      maxDepth: {
        n: limits.maxDepth,
        ignoreIntrospection: true,
      },
      maxAliases: {
        n: limits.maxAliases,
      },
      maxDirectives: {
        n: limits.maxDirectives,
      },
      maxTokens: {
        n: limits.maxTokens,
      },
      costLimit: {
        maxCost: limits.maxCost,
        ignoreIntrospection: true,
      },
      // Field suggestions ("Did you mean …?") leak the schema when introspection is off.
      blockFieldSuggestion: { enabled: !config.introspection },
    }) as Plugin,
  ];
  if (!config.introspection) {
    plugins.push({
      onValidate({ addValidationRule }) {
        addValidationRule(NoSchemaIntrospectionCustomRule);
      },
    });
  }
  return plugins;
}
