import type { Router } from 'express';

/**
 * What Express's router keeps of each `use`/`route` (router 2.x): enough to ask which methods a path has. Express offers
 * no public API for it; this is what its own automatic OPTIONS answer reads, and test/api/auth-and-errors.test.ts
 * pins the 405 answers built on it.
 */
interface RouterLayer {
  match(path: string): { path: string } | false;
  route?: { _methods(): string[] };
  handle?: { stack?: unknown };
}

/**
 * The methods `router` (and the routers mounted in it) has routes for at `path` (relative to the router), HEAD
 * included wherever GET is, as Express answers HEAD with GET's route: `['GET', 'HEAD', 'POST']`. Empty for a path
 * no route matches.
 */
export function allowedMethods(router: Router, path: string): string[] {
  const methods = new Set<string>();
  collect(router.stack as unknown as RouterLayer[], path, methods);
  return [...methods].sort();
}

function collect(stack: readonly RouterLayer[], path: string, into: Set<string>): void {
  for (const layer of stack) {
    const match = matchOf(layer, path);
    if (!match) continue;
    if (layer.route) {
      for (const method of layer.route._methods()) into.add(method);
      continue;
    }
    const inner = layer.handle?.stack;
    if (Array.isArray(inner)) collect(inner as RouterLayer[], path.slice(match.path.length) || '/', into);
  }
}

/** A path segment that is not validly percent-encoded matches no parameter (Express answers such a request 400). */
function matchOf(layer: RouterLayer, path: string): { path: string } | false {
  try {
    return layer.match(path);
  } catch (err) {
    if (err instanceof URIError) return false;
    throw err;
  }
}
