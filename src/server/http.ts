import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** The Fastify instance as routes see it: zod schemas typed end to end. */
export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});

/** Date as YYYY-MM-DD that really exists (2025-02-30 is refused): the calendar's schema. */
export { CalendarDate as DateString } from '../calendar/schemas.js';

export const IdParams = z.object({ id: z.uuid({ message: '编号格式不正确' }) });
