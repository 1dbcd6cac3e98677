/**
 * The part of OpenAPI 3.1 this project's document uses, typed so the document is checked by the compiler.
 * Schemas are JSON Schema 2020-12 (OpenAPI 3.1's dialect).
 */

export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';

export interface SchemaObject {
  $ref?: string;
  type?: JsonType | JsonType[];
  description?: string;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  additionalProperties?: boolean | SchemaObject;
  items?: SchemaObject;
  oneOf?: SchemaObject[];
  enum?: ReadonlyArray<string | number | boolean | null>;
  const?: string | number | boolean;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  pattern?: string;
  format?: string;
  contentMediaType?: string;
  readOnly?: boolean;
  examples?: unknown[];
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  description?: string;
  schema: SchemaObject;
}

export interface MediaTypeObject {
  schema: SchemaObject;
}

export interface RequestBodyObject {
  required: boolean;
  content: Record<string, MediaTypeObject>;
}

export interface ResponseObject {
  description: string;
  content?: Record<string, MediaTypeObject>;
  headers?: Record<string, { description: string; schema: SchemaObject }>;
}

export type ResponseOrRef = ResponseObject | { $ref: string };
export type ParameterOrRef = ParameterObject | { $ref: string };

export interface OperationObject {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: ParameterOrRef[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseOrRef>;
  /** `[]` for an operation that needs no token. */
  security?: Array<Record<string, string[]>>;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type PathItemObject = Partial<Record<HttpMethod, OperationObject>> & { parameters?: ParameterOrRef[] };

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  jsonSchemaDialect?: string;
  tags: Array<{ name: string; description: string }>;
  security: Array<Record<string, string[]>>;
  paths: Record<string, PathItemObject>;
  /** Requests this app sends (the notification webhooks). */
  webhooks: Record<string, PathItemObject>;
  components: {
    schemas: Record<string, SchemaObject>;
    parameters: Record<string, ParameterObject>;
    responses: Record<string, ResponseObject>;
    securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; description: string }>;
  };
}

/** `{ $ref: '#/components/schemas/<name>' }` */
export const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` });
