/**
 * The route table: the one list of HTTP routes, gathered from each context's
 * functions/<context>/routes.ts. The CDK stateless stack creates one function and one API Gateway
 * route per entry; the local server dispatches on the same entries; the OpenAPI document is
 * generated from them. A handler reads only its own context's table (through its contracts), so its
 * bundle does not carry every route of the house.
 */
import { routeIn, type KeyOf, type RouteDef } from './route-def.ts';
import { routes as metaRoutes } from './meta/routes.ts';
import { routes as onboardingRoutes } from './onboarding/routes.ts';
import { routes as quotesRoutes } from './quotes/routes.ts';
import { routes as invoicesRoutes } from './invoices/routes.ts';
import { routes as paymentsRoutes } from './payments/routes.ts';
import { routes as payrollRoutes } from './payroll/routes.ts';
import { routes as referralsRoutes } from './referrals/routes.ts';
import { routes as cesuRoutes } from './cesu/routes.ts';
import { routes as networkRoutes } from './network/routes.ts';

export {
  routeKey,
  secrets,
  type Access,
  type Capabilities,
  type Method,
  type RouteDef,
  type SecretKey,
  type TableAccess,
} from './route-def.ts';

export const routes = [
  ...metaRoutes,
  ...onboardingRoutes,
  ...quotesRoutes,
  ...invoicesRoutes,
  ...paymentsRoutes,
  ...payrollRoutes,
  ...referralsRoutes,
  ...cesuRoutes,
  ...networkRoutes,
] as const satisfies readonly RouteDef[];

export type RouteKey = KeyOf<typeof routes>;

export const findRoute = (key: RouteKey): RouteDef => routeIn(routes, key);
