// /healthz: the process is alive. /readyz: it can reach GHL (or the sandbox).
import type { Plugin } from 'graphql-yoga';

export function healthRoutes(probeUpstream: () => Promise<boolean>): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname === '/healthz') {
        endResponse(fetchAPI.Response.json({ status: 'ok' }));
      } else if (url.pathname === '/readyz') {
        const ready = await probeUpstream().catch(() => false);
        endResponse(
          fetchAPI.Response.json({ status: ready ? 'ready' : 'upstream unreachable' }, { status: ready ? 200 : 503 }),
        );
      }
    },
  };
}
