import type { RequestHandler } from 'express';
import { pageSchema, resourceSchemas } from './openapi/resource-schemas';
import { sharedParameters, sharedResponses } from './openapi/operations';
import { paths } from './openapi/paths';
import { previewPaths, previewSchemas } from './openapi/preview';
import { ruleSchemas } from './openapi/rule-schemas';
import type { OpenApiDocument } from './openapi/types';
import { notificationSchemas, webhooks } from './openapi/webhooks';

export type { OpenApiDocument, SchemaObject } from './openapi/types';

/**
 * The management API as an OpenAPI 3.1 document (GET /api/openapi.json, no token needed). Limits, patterns and
 * sortable fields come from the same constants the validation uses; test/api/openapi.test.ts checks that every
 * route the router mounts is described here and every path described here is mounted.
 */
export const openApiDocument: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Call Hunting Rules for Twilio: management API',
    version: '1.0.0',
    description: 'Users, call hunting rules, and what calls leave behind (voicemails, callback numbers, the call log). '
      + 'Every error is { "error": { "code", "message", "details": [ { "path", "message" } ] } }. '
      + 'A path not listed here answers 404 (not_found); a listed path called with a method it does not list answers 405 '
      + '(method_not_allowed) with an Allow header naming the methods it takes.',
  },
  jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
  tags: [
    { name: 'users', description: 'administrators manage users; everyone reads /api/me' },
    { name: 'rules', description: 'call hunting rules' },
    { name: 'voicemails', description: 'messages callers left' },
    { name: 'callbacks', description: 'callback numbers callers left while on hold' },
    { name: 'calls', description: 'the call log' },
    { name: 'meta', description: 'this document' },
    { name: 'notifications', description: 'events this app POSTs to your webhook' },
  ],
  security: [{ bearerAuth: [] }],
  paths: { ...paths, ...previewPaths },
  webhooks,
  components: {
    schemas: {
      ...ruleSchemas,
      ...resourceSchemas,
      RulePage: pageSchema('Rule'),
      UserPage: pageSchema('User'),
      VoicemailPage: pageSchema('Voicemail'),
      CallbackPage: pageSchema('Callback'),
      CallPage: pageSchema('Call'),
      ...previewSchemas,
      ...notificationSchemas,
    },
    parameters: sharedParameters,
    responses: sharedResponses,
    securitySchemes: {
      bearerAuth: {
        type: 'http', scheme: 'bearer',
        description: 'ADMIN_TOKEN (an administrator), or a user\'s own token (shown once when the user is created or the token rotated)',
      },
    },
  },
};

/** GET /api/openapi.json */
export const serveOpenApi: RequestHandler = (_req, res) => {
  res.json(openApiDocument);
};
