import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** The vendor's document lives beside the repo; it is read in place, never copied in. */
export const OPENAPI_PATH = path.resolve(process.cwd(), '../shared/sendmux/openapi-sending.json');
/** The management API cut to delivery logs and webhooks (WebhookEventPayload, DeliveryLogItem…). */
export const MANAGEMENT_OPENAPI_PATH = path.resolve(
  process.cwd(),
  '../shared/sendmux/openapi-management-subset.json',
);

type Operation = {
  requestBody?: { content?: Record<string, { schema?: object }> };
  responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
};
type OpenApiDoc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
};

export type OpenApiValidator = {
  /** Validates a JSON response body against the document's schema for that operation and status. */
  response(method: string, apiPath: string, status: number, body: unknown): string[];
  /** Validates a JSON request body against the operation's request schema. */
  request(method: string, apiPath: string, body: unknown): string[];
  /** Validates a value against one of components.schemas, e.g. WebhookEventPayload. */
  component(name: string, value: unknown): string[];
};

/** Null (with the reason) when the vendor's document is absent, so contract tests can skip and say why. */
export function loadOpenApi(file = OPENAPI_PATH): { validator: OpenApiValidator } | { skip: string } {
  if (!fs.existsSync(file)) return { skip: `contract tests skipped: ${file} is absent` };
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as OpenApiDoc;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addFormat('int64', true);
  ajv.addFormat('binary', true);
  ajv.addSchema({ $id: 'sendmux', components: doc.components });
  const cache = new Map<string, ValidateFunction>();

  const rewrite = (schema: object): object =>
    JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"sendmux#/components/')) as object;

  const compile = (key: string, schema: object) => {
    let fn = cache.get(key);
    if (!fn) {
      fn = ajv.compile(rewrite(schema));
      cache.set(key, fn);
    }
    return fn;
  };

  const findOperation = (method: string, apiPath: string): [string, Operation] => {
    for (const [template, ops] of Object.entries(doc.paths)) {
      const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      const op = ops[method.toLowerCase()];
      if (op && re.test(apiPath)) return [template, op];
    }
    throw new Error(`No operation ${method} ${apiPath} in the OpenAPI document`);
  };

  const errorsOf = (fn: ValidateFunction, value: unknown) =>
    fn(value)
      ? []
      : (fn.errors ?? []).map(
          (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
        );

  return {
    validator: {
      response(method, apiPath, status, body) {
        const [template, op] = findOperation(method, apiPath);
        const res = op.responses?.[String(status)];
        if (!res) return [`${method} ${template} does not document status ${status}`];
        const schema = res.content?.['application/json']?.schema;
        if (!schema)
          return body === undefined || body === null || body === ''
            ? []
            : [`${status} has no JSON body in the spec`];
        return errorsOf(compile(`res ${method} ${template} ${status}`, schema), body);
      },
      request(method, apiPath, body) {
        const [template, op] = findOperation(method, apiPath);
        const schema = op.requestBody?.content?.['application/json']?.schema;
        if (!schema) return [`${method} ${template} takes no JSON body`];
        return errorsOf(compile(`req ${method} ${template}`, schema), body);
      },
      component(name, value) {
        if (!doc.components.schemas[name]) return [`No schema ${name} in the OpenAPI document`];
        return errorsOf(compile(`component ${name}`, { $ref: `#/components/schemas/${name}` }), value);
      },
    },
  };
}
