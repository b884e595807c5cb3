import type { FastifyRequest } from 'fastify';

/** ID numbers (GB 11643) and mainland mobile numbers wherever they appear in a text. */
const ID_NUMBER = /(?<![0-9])(\d{4})\d{10}(\d{3}[0-9Xx])(?![0-9])/g;
const PHONE = /(?<![0-9])(1[3-9]\d)\d{4}(\d{4})(?![0-9])/g;

/** Masks personal numbers the way public views do, so a log line can still be matched to a visitor. */
export function maskPersonal(text: string): string {
  return text.replace(ID_NUMBER, '$1**********$2').replace(PHONE, '$1****$2');
}

/**
 * Log serializers that mask personal numbers in what the redact paths cannot name: a URL's query string,
 * and a database error's message or detail ("Key (id_number)=(...) already exists").
 */
export const LOG_SERIALIZERS = {
  req: (req: FastifyRequest) => ({ method: req.method, url: maskPersonal(req.url), host: req.host, remoteAddress: req.ip }),
  err: (err: Error & { code?: unknown; detail?: unknown }) => ({
    type: err.constructor?.name ?? 'Error',
    message: maskPersonal(String(err.message)),
    stack: maskPersonal(String(err.stack ?? '')),
    ...(err.code === undefined ? {} : { code: err.code }),
    ...(typeof err.detail === 'string' ? { detail: maskPersonal(err.detail) } : {}),
  }),
};
