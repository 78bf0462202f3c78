// The OpenAPI 3.1 description of the API, built from the same zod schemas that validate requests
// (zod 4's z.toJSONSchema), served at GET /api/openapi.json. ROUTES (hr-routes.ts and
// public-routes.ts) is the one list to edit when a route is added: test/api/openapi.test.ts walks
// the Hono app and fails on any route missing there (or listed and not in the app), so a new route
// cannot ship undocumented.
//
// A registry next to the app rather than @hono/zod-openapi: that one wants every route rewritten
// as createRoute() + openapi(), and the routes here read bodies through readJson (content-type
// checks, NUL checks, one error envelope) which its validator would replace.
import type { ApiConfig } from '../../core/config.js';
import { openApiDocument } from './document.js';
import { HR_ROUTES } from './hr-routes.js';
import { PUBLIC_ROUTES } from './public-routes.js';
import type { RouteDoc } from './route-doc.js';

export { openApiPath } from './document.js';
export type { RouteDoc } from './route-doc.js';

/** The one list: every route of createApp(), in the order the README's API overview gives them. */
export const ROUTES: RouteDoc[] = [...HR_ROUTES, ...PUBLIC_ROUTES];

export const buildOpenApi = (config: Pick<ApiConfig, 'publicBaseUrl'>, routes: RouteDoc[] = ROUTES) => openApiDocument(config, routes);
