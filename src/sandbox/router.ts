// Matches a request path against the route table's spec templates. A literal segment beats a
// parameter ("/contacts/search" is search, not a contact id), and trailing slashes are ignored,
// so "/contacts" and "/contacts/" are both GET /contacts/ (as GHL's server treats them).

import { ROUTES } from './routes.js';
import type { RouteDefinition } from './routes.js';

interface Compiled {
  route: RouteDefinition;
  segments: { literal?: string; param?: string }[];
  literals: number;
}

function segmentsOf(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

const COMPILED: Compiled[] = ROUTES.map((route) => {
  const segments = segmentsOf(route.path).map((s) => {
    const m = /^\{(\w+)\}$/.exec(s);
    return m?.[1] !== undefined ? { param: m[1] } : { literal: s };
  });
  return { route, segments, literals: segments.filter((s) => s.literal !== undefined).length };
}).sort((a, b) => b.literals - a.literals);

export interface RouteMatch {
  route: RouteDefinition;
  params: Record<string, string>;
}

export function matchRoute(method: string, pathname: string): RouteMatch | undefined {
  let parts: string[];
  try {
    parts = segmentsOf(pathname).map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  for (const c of COMPILED) {
    if (c.route.method !== method || c.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const fits = c.segments.every((s, i) => {
      const part = parts[i] ?? '';
      if (s.literal !== undefined) return s.literal === part;
      if (s.param !== undefined) params[s.param] = part;
      return true;
    });
    if (fits) return { route: c.route, params };
  }
  return undefined;
}
