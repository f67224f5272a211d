/** The service routes (health, the OpenAPI document): this context's part of the route table (functions/routes.ts). */
import type { RouteDef } from '../route-def.ts';

export const routes = [
  {
    method: 'GET',
    path: '/health',
    fn: 'Health',
    handler: 'functions/meta/handlers/health.ts',
    auth: 'public',
    tables: { directory: 'describe' },
    summary: 'Liveness: answers ok when the database answers',
    tag: 'meta',
  },
  {
    method: 'GET',
    path: '/openapi.json',
    fn: 'OpenApi',
    handler: 'functions/meta/handlers/openapi.ts',
    auth: 'public',
    tables: {},
    summary: 'This OpenAPI 3.1 document',
    tag: 'meta',
  },
] as const satisfies readonly RouteDef[];
