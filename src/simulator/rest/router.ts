import type { FormBody } from './form';

/**
 * The fake REST API's routes, without a web framework: each route is a method, a path pattern below the
 * account (`/Calls/:sid.json`) and a handler that turns a parsed request into a reply, or throws RestFailure.
 * Paths match like Express's defaults did (case-insensitive, an optional trailing slash, parameters decoded).
 */

export interface RestRequest {
  /** GET (also for HEAD), POST or DELETE. */
  readonly method: string;
  /** Route parameters, decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly body: FormBody;
}

/** JSON (`json`), other content (`body` of `contentType`), or neither (e.g. 204). */
export type RestReply =
  | { readonly status: number; readonly json: unknown }
  | { readonly status: number; readonly contentType: string; readonly body: Buffer }
  | { readonly status: number };

export interface RestRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Below the account, e.g. `/Queues/:sid/Members/:callSid.json`. */
  readonly path: string;
  readonly handle: (req: RestRequest) => RestReply;
}

interface CompiledRoute {
  readonly route: RestRoute;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/** The route answering `method` and `path`, with its parameters; undefined when none does. */
export type RouteMatcher = (method: string, path: string) => { route: RestRoute; params: Record<string, string> } | undefined;

/** A parameter (`:name`) matches one path segment up to the literal text after it. */
function compile(route: RestRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path.split(/(:[A-Za-z_]\w*)/).map((part) => {
    if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    names.push(part.slice(1));
    return '([^/]+?)';
  }).join('');
  return { route, pattern: new RegExp(`^${source}/?$`, 'i'), names };
}

export function routeMatcher(routes: readonly RestRoute[]): RouteMatcher {
  const compiled = routes.map(compile);
  return (method, path) => {
    const wanted = method === 'HEAD' ? 'GET' : method;
    for (const { route, pattern, names } of compiled) {
      if (route.method !== wanted) continue;
      const match = pattern.exec(path);
      if (!match) continue;
      const params = decodedParams(names, match);
      return params && { route, params };
    }
    return undefined;
  };
}

/** The parameters, percent-decoded; undefined when one is malformed (`%E0%A4%A`): such a path names no resource. */
function decodedParams(names: readonly string[], match: RegExpExecArray): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [i, name] of names.entries()) {
    try {
      params[name] = decodeURIComponent(match[i + 1]!);
    } catch (err) {
      if (err instanceof URIError) return undefined;
      throw err;
    }
  }
  return params;
}
