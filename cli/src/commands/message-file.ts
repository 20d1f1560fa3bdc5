import { readFileSync } from 'node:fs';
import { type DescMessage, fromJson, type JsonValue, type MessageShape } from '@bufbuild/protobuf';
import { parse } from 'yaml';
import { inputError } from '../exit-codes';

/**
 * A request written as a YAML or JSON file in the proto's JSON form (camelCase fields, enum names
 * such as BASIS_KIND_NET_REVENUE, amounts as strings), so a file documents itself against the
 * contract and an unknown or misspelled field is refused with its name.
 */
export function readMessageFile<D extends DescMessage>(
  schema: D,
  path: string,
  fields: Record<string, JsonValue> = {},
): MessageShape<D> {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw inputError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw inputError(`${path}: expected a mapping of ${schema.typeName} fields`);
  }
  try {
    return fromJson(schema, { ...(raw as Record<string, JsonValue>), ...fields });
  } catch (error) {
    throw inputError(`${path}: ${(error as Error).message}`);
  }
}
