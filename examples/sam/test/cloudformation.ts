import { readFileSync } from 'node:fs';
import { parse, type Tags } from 'yaml';

/** A CloudFormation intrinsic as parsed: `{ '!GetAtt': 'X.Arn' }`, `{ '!Ref': 'X' }`, ... */
export type Intrinsic = Record<string, unknown>;

const INTRINSICS = ['Ref', 'GetAtt', 'Sub', 'If', 'Equals', 'Join', 'Select', 'Split', 'FindInMap', 'ImportValue', 'Not', 'And', 'Or', 'Base64', 'Cidr', 'GetAZs', 'Condition'];

// Each CloudFormation short-form tag becomes `{ '!Tag': value }`, whatever the node kind.
const customTags: Tags = INTRINSICS.flatMap((name) =>
  (['scalar', 'seq', 'map'] as const).map((nodeKind) => ({
    tag: `!${name}`,
    collection: nodeKind === 'scalar' ? undefined : nodeKind,
    resolve: (value: unknown) => ({ [`!${name}`]: typeof value === 'object' && value !== null && 'toJSON' in value ? (value as { toJSON(): unknown }).toJSON() : value }),
  })),
) as Tags;

/** Parses a CloudFormation/SAM YAML template, short-form intrinsics included. */
export function readTemplate(path: string): Record<string, unknown> {
  return parse(readFileSync(path, 'utf8'), { customTags }) as Record<string, unknown>;
}
