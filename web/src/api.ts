import { ElMessage } from 'element-plus';
import { i18n } from './i18n';
import { useAuthStore } from './stores/auth';

export const API_BASE = '/api/v1';

/** A refusal from the server, with the fixed code and the Chinese message of shared/api.md. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  /** The caller shows or handles the error itself, so no message pops up. */
  quiet?: boolean;
}

function toApiError(status: number, payload: unknown): ApiError {
  const error = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ApiError(status, error.code, error.message, (error.details as Record<string, unknown>) ?? {});
  }
  return new ApiError(status, 'HTTP_' + status, i18n.global.t('api.failed', { status }));
}

async function request<T>(method: string, path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
  const auth = useAuthStore();
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const headers: Record<string, string> = { accept: 'application/json', ...auth.sessionHeaders() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const token = auth.token;

  let error: ApiError;
  try {
    const search = params.toString();
    const response = await fetch(`${API_BASE}${path}${search ? `?${search}` : ''}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return undefined as T;
    const payload: unknown = await response.json().catch(() => null);
    if (response.ok) return payload as T;
    error = toApiError(response.status, payload);
    // The server no longer accepts this session (expired, revoked, account stopped): sign out here too;
    // the staff layout then goes to the login page.
    if (response.status === 401 && token) auth.expire();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    error = new ApiError(0, 'NETWORK', i18n.global.t('api.network'));
  }
  if (!options.quiet) ElMessage.error({ message: error.message, grouping: true });
  throw error;
}

/** Calls to /api/v1. Errors are shown to the user (unless `quiet`) and thrown as ApiError. */
export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body ?? {}, options),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PUT', path, body, options),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PATCH', path, body, options),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
};
