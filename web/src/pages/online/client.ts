import { ref } from 'vue';
import { ElMessage } from 'element-plus';
import { API_BASE, ApiError } from '@/api';
import { i18n } from '@/i18n';

// The applicant's side of /api/v1/online: their own session (phone + one-time code), not a staff one.
// The token lives in sessionStorage so closing the browser on a borrowed phone signs out.

const KEY = 'onewindow.applicant';
export const applicantToken = ref<string | null>(sessionStorage.getItem(KEY));

export function keepSession(token: string | null) {
  applicantToken.value = token;
  if (token) sessionStorage.setItem(KEY, token);
  else sessionStorage.removeItem(KEY);
}

interface CallOptions {
  body?: unknown;
  file?: File;
  quiet?: boolean;
}

async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (applicantToken.value) headers.authorization = `Bearer ${applicantToken.value}`;
  let body: BodyInit | undefined;
  if (options.file) {
    headers['content-type'] = options.file.type || 'application/octet-stream';
    body = options.file;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let error: ApiError;
  try {
    const response = await fetch(`${API_BASE}${path}`, { method, headers, body });
    if (response.ok) return response;
    const payload = (await response.json().catch(() => null)) as { error?: { code: string; message: string; details?: Record<string, unknown> } } | null;
    error = payload?.error
      ? new ApiError(response.status, payload.error.code, payload.error.message, payload.error.details ?? {})
      : new ApiError(response.status, `HTTP_${response.status}`, i18n.global.t('api.failed', { status: response.status }));
    // An expired session: back to the sign-in step.
    if (response.status === 401) keepSession(null);
  } catch (err) {
    error = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', i18n.global.t('api.network'));
  }
  if (!options.quiet) ElMessage.error({ message: error.message, grouping: true });
  throw error;
}

const json = async <T>(response: Response): Promise<T> => (response.status === 204 ? (undefined as T) : ((await response.json()) as T));

export const applicantApi = {
  get: <T>(path: string) => call('GET', path).then(json<T>),
  post: <T>(path: string, body: unknown = {}, options: { quiet?: boolean } = {}) => call('POST', path, { body, ...options }).then(json<T>),
  put: <T>(path: string, body: unknown) => call('PUT', path, { body }).then(json<T>),
  delete: (path: string) => call('DELETE', path).then(() => undefined),
  upload: <T>(path: string, file: File) => call('POST', path, { file, quiet: true }).then(json<T>),
  /** A file or notice opened in a new tab from its bytes: links cannot carry the session. */
  async open(path: string) {
    const tab = window.open('', '_blank');
    const blob = await (await call('GET', path)).blob();
    const url = URL.createObjectURL(blob);
    if (tab) tab.location.href = url;
    else window.location.href = url;
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  },
};
