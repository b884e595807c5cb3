import { existsSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { registerAccessGuard, API_PREFIX } from '../auth/guard.js';
import { registerAuthRoutes } from '../auth/routes.js';
import { createAuthService } from '../auth/service.js';
import { createUserService } from '../auth/users.js';
import { registerAuditRoutes } from '../audit/routes.js';
import { registerCalendarRoutes } from '../calendar/routes.js';
import { createCalendarService } from '../calendar/service.js';
import { registerCaseRoutes } from '../cases/routes.js';
import { registerAgentRoutes } from '../agents/routes.js';
import { registerCatalogRoutes } from '../catalog/routes.js';
import { registerLevelRoutes } from '../catalog/level-routes.js';
import { createCatalogService } from '../catalog/service.js';
import { createFeedback, registerFeedbackOpen311, registerFeedbackRoutes } from '../feedback/routes.js';
import { registerNotifyRoutes } from '../notify/routes.js';
import { createOrgService } from '../org/service.js';
import { registerOrgRoutes } from '../org/routes.js';
import { registerNetworkRoutes } from '../org/network-routes.js';
import { registerQueueRoutes } from '../queue/routes.js';
import { registerReportsRoutes } from '../reports/routes.js';
import { registerStaffRoutes } from '../staff/routes.js';
import { registerAppointmentRoutes } from '../appointments/routes.js';
import { registerOnlineRoutes } from '../online/routes.js';
import type { AppContext } from './context.js';
import { frameworkError, registerErrorHandler } from './errors.js';
import { registerHealth } from './health.js';
import { LOG_SERIALIZERS } from './logging.js';
import { registerMetrics } from './metrics.js';
import { registerSecurity } from './security.js';
import { timerHandlers } from './timer-handlers.js';

export interface BuildOptions {
  logger?: boolean | object;
}

/** Log lines never carry tokens, passwords or personal numbers in clear. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.idNumber',
  '*.phone',
  '*.*.idNumber',
  '*.*.phone',
];

export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === undefined ? false : options.logger === true ? { redact: LOG_REDACT, serializers: LOG_SERIALIZERS } : options.logger,
    // JSON bodies are small; the few upload routes (catalogue import, attachments) set their own limit.
    bodyLimit: 1_048_576,
    trustProxy: ctx.config.trustProxy,
    // Slow or endless request bodies must not hold connections (SSE answers are not affected).
    requestTimeout: 30_000,
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: frameworkError,
    // Request ids in logs let one visitor's trouble be followed across lines.
    genReqId: () => crypto.randomUUID(),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const serveWeb = Boolean(ctx.config.webRoot && existsSync(ctx.config.webRoot));
  registerErrorHandler(app, { spaFallback: serveWeb });
  await registerSecurity(app, ctx.config.rateLimits, ctx.database);
  registerMetrics(app, ctx.database, ctx.config.metricsToken);

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'OneWindow 一窗通 API', version: '1', description: '政务服务中心一体化平台接口' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  const auth = createAuthService(ctx);
  registerAccessGuard(app, auth, ctx.db);

  registerHealth(app, ctx, Object.keys(timerHandlers(ctx)));

  const feedback = createFeedback(ctx);
  await app.register(
    async (api) => {
      const typed = api.withTypeProvider<ZodTypeProvider>();
      registerAuthRoutes(typed, auth);
      registerOrgRoutes(typed, createOrgService(ctx), createUserService(ctx), ctx.db);
      registerNetworkRoutes(typed, ctx);
      registerAuditRoutes(typed, ctx.db);
      registerCalendarRoutes(typed, ctx.db, createCalendarService(ctx));
      registerCatalogRoutes(typed, createCatalogService(ctx), ctx.db);
      registerLevelRoutes(typed, ctx);
      registerNotifyRoutes(typed, ctx.db);
      registerQueueRoutes(typed, ctx);
      registerCaseRoutes(typed, ctx);
      registerAgentRoutes(typed, ctx);
      registerFeedbackRoutes(typed, ctx, feedback);
      registerStaffRoutes(typed, ctx);
      registerReportsRoutes(typed, ctx);
      registerAppointmentRoutes(typed, ctx);
      registerOnlineRoutes(typed, ctx);
    },
    { prefix: API_PREFIX },
  );
  // Open311 GeoReport v2 follows its own spec (paths, errors, api_key), outside /api/v1.
  await registerFeedbackOpen311(app, ctx, feedback);

  if (serveWeb) await app.register(fastifyStatic, { root: ctx.config.webRoot!, wildcard: false });
  return app;
}
