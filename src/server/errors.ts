import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/**
 * A refusal the user can act on: a fixed machine code, an HTTP status and a Chinese message.
 * Services throw these; one handler turns them into the error body of shared/api.md.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string, details: Record<string, unknown> = {}) =>
  new DomainError(404, 'NOT_FOUND', `${what}不存在`, details);
export const validationFailed = (message: string, details: Record<string, unknown> = {}) =>
  new DomainError(400, 'VALIDATION_FAILED', message, details);
export const duplicate = (message: string, details: Record<string, unknown> = {}) =>
  new DomainError(409, 'DUPLICATE', message, details);
export const unauthenticated = (message = '请先登录') => new DomainError(401, 'UNAUTHENTICATED', message);
export const forbidden = (message = '当前角色无权执行此操作') => new DomainError(403, 'FORBIDDEN', message);

export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

const body = (code: string, message: string, details: Record<string, unknown> = {}): ErrorBody => ({
  error: { code, message, details },
});

/** Postgres error codes that mean the request, not the server, is wrong. */
const PG_CLIENT_ERRORS: Record<string, [number, string, string]> = {
  '23505': [409, 'DUPLICATE', '记录已存在'],
  '23503': [400, 'VALIDATION_FAILED', '引用的记录不存在'],
  '23514': [400, 'VALIDATION_FAILED', '数据不符合约束'],
  '22P02': [400, 'VALIDATION_FAILED', '数据格式不正确'],
  '22007': [400, 'VALIDATION_FAILED', '日期时间格式不正确'],
  '22008': [400, 'VALIDATION_FAILED', '日期时间超出范围'],
  '22003': [400, 'VALIDATION_FAILED', '数值超出范围'],
};

function pgCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function registerErrorHandler(app: FastifyInstance, options: { spaFallback?: boolean } = {}): void {
  app.setErrorHandler((err: FastifyError | DomainError, request, reply) => {
    if (err instanceof DomainError) {
      return reply.code(err.status).send(body(err.code, err.message, err.details));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        path: `${err.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`,
        message: v.message,
      }));
      return reply
        .code(400)
        .send(body('VALIDATION_FAILED', `请求数据不正确：${issues.map((i) => i.path).join('，')}`, { issues }));
    }
    const status = (err as FastifyError).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code =
        status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 429 ? 'RATE_LIMITED' : status === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED';
      const message =
        status === 413 ? '请求内容过大' : status === 429 ? '请求过于频繁，请稍后再试' : status === 404 ? '资源不存在' : '请求格式不正确';
      return reply.code(status === 413 || status === 429 || status === 404 ? status : 400).send(body(code, message));
    }
    const mapped = PG_CLIENT_ERRORS[pgCode(err) ?? ''];
    if (mapped) return reply.code(mapped[0]).send(body(mapped[1], mapped[2]));
    // Never leak a stack trace or SQL: log it, answer plainly.
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send(body('INTERNAL', '服务器内部错误，请稍后再试'));
  });
  app.setNotFoundHandler((request, reply) => {
    // The web app routes in the browser: any other GET outside the API gets index.html.
    if (options.spaFallback && request.method === 'GET' && !/^\/(api|open311)\//.test(request.url)) {
      return reply.sendFile('index.html');
    }
    return reply.code(404).send(routeNotFound(request));
  });
}

export const routeNotFound = (request: { method: string; url: string }): ErrorBody =>
  body('NOT_FOUND', `接口不存在：${request.method} ${request.url.split('?')[0]}`);

/**
 * Errors Fastify raises before any route runs (a malformed path, an over-long path parameter) never reach
 * the error handler: they get the same fixed body here.
 */
export function frameworkError(err: FastifyError, _request: unknown, reply: FastifyReply): void {
  const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
  void reply.code(tooLong ? 414 : 400).send(body('VALIDATION_FAILED', tooLong ? '请求地址中的参数过长' : '请求地址格式不正确'));
}
