// The operator's side: Prometheus metrics and the health endpoints, on their own listener.
import http from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const SECONDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600,
];

/** The metric names are a contract (GATEWAY-CONTRACT.md): the e2e tests and dashboards read them. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kerbkit_gateway_process_' });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'kerbkit_gateway_requests_total',
      help: 'Device requests answered, by HTTP status',
      labelNames: ['status'] as const,
      registers,
    }),
    s4u: new Counter({
      name: 'kerbkit_gateway_s4u_total',
      help: 'S4U exchanges with the KDC, by step (self, proxy) and result (ok or the error code)',
      labelNames: ['step', 'result'] as const,
      registers,
    }),
    ticketCache: new Counter({
      name: 'kerbkit_gateway_ticket_cache_total',
      help: 'Ticket cache lookups: hit, miss, refused (answered from the negative cache)',
      labelNames: ['result'] as const,
      registers,
    }),
    kdcSeconds: new Histogram({
      name: 'kerbkit_gateway_kdc_seconds',
      help: 'Time per attempt to reach a KDC, by outcome (reply or the failure code)',
      labelNames: ['outcome'] as const,
      buckets: SECONDS,
      registers,
    }),
    backendSeconds: new Histogram({
      name: 'kerbkit_gateway_backend_seconds',
      help: "Time from sending a request to the backend to its response headers, by the backend's status",
      labelNames: ['status'] as const,
      buckets: SECONDS,
      registers,
    }),
    refusals: new Counter({
      name: 'kerbkit_gateway_refusals_total',
      help: 'Devices refused (403), by reason code',
      labelNames: ['reason'] as const,
      registers,
    }),
    connectionsRefused: new Counter({
      name: 'kerbkit_gateway_connections_refused_total',
      help: 'Device connections closed unserved by a limit: max-connections, per-address',
      labelNames: ['reason'] as const,
      registers,
    }),
    connectionsOpen: new Gauge({
      name: 'kerbkit_gateway_connections_open',
      help: 'Device connections open now (TLS handshakes in progress included)',
      registers,
    }),
    inFlight: new Gauge({
      name: 'kerbkit_gateway_requests_in_flight',
      help: 'Device requests being proxied now (held EAS Pings included)',
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** /metrics, /healthz (the process answers), /readyz (200 once `ready()` says so, else 503). */
export function createAdminServer(metrics: Metrics, ready: () => boolean): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/metrics') {
      metrics.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
        () => res.writeHead(500).end(),
      );
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (path === '/readyz') {
      const ok = ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ready\n' : 'not ready\n');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
}
