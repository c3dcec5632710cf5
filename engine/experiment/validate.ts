import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import experimentSchema from '../../schemas/experiment.schema.json';
import type { JsonSchema } from '../node-api';
import { closest } from '../suggest';
import type { PathSegment } from './yaml-source';

/**
 * JSON Schema checks (ajv) for the experiment file and for node params, turned into problems that name
 * a path in the data; the caller turns the path into a file position and phrases the subject.
 *
 * Every schema is compiled once per process (ajv caches by schema object), so a 1000-node matrix
 * costs one compile per node type, not one per node.
 */

export type SchemaProblem =
  /** A key the schema does not allow; `path` ends with the key. */
  | { kind: 'unknown-key'; path: PathSegment[]; key: string; suggestion?: string }
  /** A required key that is absent; `path` is the object missing it. */
  | { kind: 'missing-key'; path: PathSegment[]; key: string }
  /** A value the schema rejects; `complaint` reads after the value's name ("must be a number, got …"). */
  | { kind: 'invalid'; path: PathSegment[]; complaint: string };

// One instance: each compiles the draft-07 meta-schema once, the largest fixed cost of a cold start.
// useDefaults fills in params, and the few defaults of the experiment schema (a claim's alpha and
// minSeeds), so that each default is written once, in its schema.
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true, useDefaults: true });

let experimentValidator: ValidateFunction | undefined;

export function experimentProblems(value: unknown): SchemaProblem[] {
  experimentValidator ??= ajv.compile(experimentSchema);
  return experimentValidator(value) ? [] : toProblems(experimentValidator.errors ?? []);
}

export type ParamsCheck = (params: Record<string, unknown>) => SchemaProblem[];

const paramsChecks = new WeakMap<JsonSchema, ParamsCheck | { error: string }>();

/**
 * A check for one node type's params that also fills in the schema's defaults (it mutates `params`),
 * or the reason the schema itself does not compile.
 */
export function paramsCheck(schema: JsonSchema): ParamsCheck | { error: string } {
  let check = paramsChecks.get(schema);
  if (check === undefined) {
    try {
      const validate = ajv.compile(schema);
      check = (params) => (validate(params) ? [] : toProblems(validate.errors ?? []));
    } catch (error) {
      check = { error: (error as Error).message };
    }
    paramsChecks.set(schema, check);
  }
  return check;
}

/** Param names a schema declares, and whether it accepts others. */
export function declaredParams(schema: JsonSchema): { names: string[]; open: boolean } {
  const properties = schema.properties;
  const names = typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
  return { names, open: schema.additionalProperties !== false };
}

function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment));
}

function toProblems(errors: ErrorObject[]): SchemaProblem[] {
  return errors.map((error): SchemaProblem => {
    const path = pointerToPath(error.instancePath);
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = String((error.params as { additionalProperty: string }).additionalProperty);
        const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
        return { kind: 'unknown-key', path: [...path, key], key, suggestion: closest(key, Object.keys(properties)) };
      }
      case 'required':
        return { kind: 'missing-key', path, key: String((error.params as { missingProperty: string }).missingProperty) };
      default:
        return { kind: 'invalid', path, complaint: complaint(error) };
    }
  });
}

const TYPE_NAMES: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

function complaint(error: ErrorObject): string {
  const got = `, got ${describeValue(error.data)}`;
  switch (error.keyword) {
    case 'type': {
      const types = String((error.params as { type: string | string[] }).type).split(',');
      return `must be ${types.map((type) => TYPE_NAMES[type] ?? type).join(' or ')}${got}`;
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      const suggestion =
        typeof error.data === 'string'
          ? closest(
              error.data,
              allowed.filter((v): v is string => typeof v === 'string'),
            )
          : undefined;
      const tail = suggestion === undefined ? '' : ` — did you mean ${JSON.stringify(suggestion)}?`;
      return `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}${got}${tail}`;
    }
    case 'const':
      return `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}${got}`;
    default:
      return `${error.message ?? 'is invalid'}${isScalar(error.data) ? got : ''}`;
  }
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** A value as a user would recognise it in a message. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === undefined) return 'nothing';
  if (typeof value === 'object' && value !== null) return 'a mapping';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}..."` : text;
}
