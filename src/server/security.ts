import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { Database } from '../db/client.js';
import { DomainError } from './errors.js';
import { clientKey, KIOSK_HEADER, type RateLimits } from './rate-limits.js';
import { sharedRateLimitStore } from './rate-store.js';

/**
 * Headers every answer carries, and the per-client limits of the public endpoints. Register before any
 * route: both plugins attach themselves to routes as they are added.
 */
export async function registerSecurity(app: FastifyInstance, limits: RateLimits | undefined, database: Database): Promise<void> {
  const headers = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Element Plus positions popovers, dialogs and tables with inline style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        // QR codes and charts are data: and blob: images; fonts ship with the app.
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
        // No upgrade-insecure-requests: a county hall may serve plain HTTP on its own network.
      },
    },
    // The app itself links its documents (PDF, ICS) from other tabs; strict defaults otherwise.
    crossOriginEmbedderPolicy: false,
  });
  // Set before routing, so refusals and 404s carry them too.
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });

  // Answers with tokens or personal data must not sit in a shared or browser cache.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });

  if (!limits) return;
  // The table decides which routes are limited; this hook runs before the rate-limit plugin's own and
  // hands it each limited route's settings.
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      const limit = limits.routes[`${method} ${route.url}`];
      if (!limit) continue;
      route.config = {
        ...route.config,
        rateLimit: {
          timeWindow: limits.windowMs,
          keyGenerator: (req) => clientKey(limits, req.ip, req.headers[KIOSK_HEADER]).key,
          max: (_req, key) => (key.startsWith('kiosk:') ? limit.perKiosk : limit.perClient),
        },
      };
    }
  });
  await app.register(fastifyRateLimit, {
    global: false,
    // Nodes on one PostgreSQL share the counts; PGlite is one node, so its counts stay in memory.
    store: database.kind === 'postgres' ? sharedRateLimitStore(database) : undefined,
    errorResponseBuilder: (_req, context) =>
      new DomainError(429, 'RATE_LIMITED', `请求过于频繁，请 ${Math.ceil(context.ttl / 1000)} 秒后再试`, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });
}

/**
 * The headers helmet sets for these options, worked out once. None depends on the request (no CSP
 * nonces), and building helmet's middleware per request, as @fastify/helmet does, cost more CPU than a
 * bare route's whole answer.
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, () => {});
  return headers;
}
