import { ElMessage } from 'element-plus';
import { API_BASE, ApiError } from '@/api';
import { i18n } from '@/i18n';
import { useAuthStore } from '@/stores/auth';

// Files to and from the catalogue API: uploads send the file itself as the body, downloads come back as
// bytes. JSON calls go through api.ts; these two need raw bodies.

async function send(method: string, path: string, body: Blob | undefined, contentType?: string): Promise<Response> {
  const headers: Record<string, string> = useAuthStore().sessionHeaders();
  const token = useAuthStore().token;
  if (contentType) headers['content-type'] = contentType;
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, { method, headers, body });
  } catch {
    throw new ApiError(0, 'NETWORK', i18n.global.t('api.network'));
  }
  if (response.ok) return response;
  const payload = (await response.json().catch(() => null)) as { error?: { code: string; message: string; details?: Record<string, unknown> } } | null;
  const error = payload?.error
    ? new ApiError(response.status, payload.error.code, payload.error.message, payload.error.details ?? {})
    : new ApiError(response.status, `HTTP_${response.status}`, i18n.global.t('api.failed', { status: response.status }));
  if (response.status === 401 && token) useAuthStore().expire();
  throw error;
}

/** Sends a file as the request body; the server checks its type from its bytes. */
export async function uploadFile<T>(path: string, file: File, options: { quiet?: boolean } = {}): Promise<T> {
  try {
    const response = await send('POST', path, file, file.type || 'application/octet-stream');
    return (await response.json()) as T;
  } catch (err) {
    if (!options.quiet && err instanceof ApiError) ElMessage.error({ message: err.message, grouping: true });
    throw err;
  }
}

/** Downloads a file and hands it to the browser under the server's file name. */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  try {
    const response = await send('GET', path, undefined);
    const disposition = response.headers.get('content-disposition') ?? '';
    const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
    const name = encoded ? decodeURIComponent(encoded) : fallbackName;
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement('a'), { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (err) {
    if (err instanceof ApiError) ElMessage.error({ message: err.message, grouping: true });
    throw err;
  }
}
