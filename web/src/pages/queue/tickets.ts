import type { PublicTicket, TicketInput } from '@shared/queue/schemas.ts';
import { API_BASE, ApiError } from '@/api';
import { i18n } from '@/i18n';

const RETRIES = 3;

/**
 * Takes a ticket, retrying a dropped connection or a server error with the same Idempotency-Key: the
 * server then answers with the ticket of the first try, so a kiosk never prints two numbers for one press.
 * (The shared API client sends no custom headers, hence fetch here.)
 */
export async function takeTicket(input: Partial<TicketInput> & Pick<TicketInput, 'serviceCode' | 'channel'>, hall?: string): Promise<PublicTicket> {
  // getRandomValues works on a kiosk served over plain http in the hall's network; randomUUID does not.
  const key = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const url = `${API_BASE}/tickets${hall ? `?hall=${encodeURIComponent(hall)}` : ''}`;
  let last: ApiError = new ApiError(0, 'NETWORK', i18n.global.t('api.network'));
  for (let attempt = 0; attempt < RETRIES; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': key },
        body: JSON.stringify(input),
      });
      const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string; details?: Record<string, unknown> } } | null;
      if (res.ok) return body as unknown as PublicTicket;
      last = body?.error
        ? new ApiError(res.status, body.error.code, body.error.message, body.error.details ?? {})
        : new ApiError(res.status, `HTTP_${res.status}`, i18n.global.t('api.failed', { status: res.status }));
      if (res.status < 500) throw last;
    } catch (err) {
      if (err instanceof ApiError) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, 400 * (attempt + 1)));
  }
  throw last;
}
