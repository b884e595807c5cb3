// Fixtures for the online applications' tests (excluded from the build by the test-* pattern).
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { services } from '../catalog/tables.js';
import { notifications } from '../notify/tables.js';
import { outbox } from '../notify/test-helpers.js';
import { windowServices } from '../org/tables.js';
import type { TestApp } from '../testing/test-app.js';

export const PHONE = '13912345678';
/** GB 11643's own example number, valid with its check digit. */
export const ID_NUMBER = '11010519491231002X';
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
export const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

export const MATERIALS = [
  { id: 'form', name: '申请表', required: true },
  { id: 'id-card', name: '居民身份证', required: true },
  { id: 'proxy', name: '授权委托书', required: true, condition: '委托他人办理的' },
  { id: 'photo', name: '近期照片', required: false },
];

/** An online-applicable item with a published guide, taken at the fixture window. */
export async function addOnlineService(t: TestApp, code = 'ON-001', options: { onlineApplicable?: boolean; promisedLimitDays?: number } = {}): Promise<string> {
  const res = await t.api('manager', {
    method: 'POST',
    url: '/services',
    payload: {
      code,
      name: `网办事项${code}`,
      departmentId: t.hall.departmentId,
      legalLimitDays: 20,
      promisedLimitDays: options.promisedLimitDays ?? 3,
      kind: 'promised',
      queuePrefix: 'W',
      bookable: false,
      onlineApplicable: options.onlineApplicable ?? true,
      materials: MATERIALS,
    },
  });
  if (res.statusCode !== 201) throw new Error(`service ${code}: ${res.body}`);
  const [row] = await t.ctx.db.select({ id: services.id }).from(services).where(eq(services.code, code));
  await t.ctx.db.insert(windowServices).values({ windowId: t.hall.windowId, serviceId: row!.id });
  return row!.id;
}

/** The last code texted to a phone, read from the outbox as the applicant reads their SMS. */
export async function lastCode(t: TestApp, phone = PHONE): Promise<string> {
  const [sms] = (await outbox(t.ctx.db, eq(notifications.template, 'online.code')))
    .filter((n) => n.recipient === phone)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const code = /验证码为 (\d{6})/.exec(sms?.body ?? '')?.[1];
  if (!code) throw new Error(`no code sent to ${phone}`);
  return code;
}

export interface Applicant {
  token: string;
  call(options: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; payload?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
}

/** Signs in with a texted code and fills in the real-name details. */
export async function signIn(t: TestApp, phone = PHONE, profile: Record<string, unknown> = { kind: 'person', name: '张三丰', idNumber: ID_NUMBER }): Promise<Applicant> {
  const sent = await t.api(null, { method: 'POST', url: '/online/codes', payload: { phone } });
  if (sent.statusCode !== 201) throw new Error(`code: ${sent.body}`);
  const session = await t.api(null, { method: 'POST', url: '/online/sessions', payload: { phone, code: await lastCode(t, phone) } });
  if (session.statusCode !== 201) throw new Error(`sign in: ${session.body}`);
  const token = session.json().token as string;
  const call: Applicant['call'] = (o) =>
    t.app.inject({ method: o.method, url: `/api/v1${o.url}`, payload: o.payload as object, headers: { authorization: `Bearer ${token}`, ...(o.headers ?? {}) } });
  const me = await call({ method: 'PUT', url: '/online/me', payload: profile });
  if (me.statusCode !== 200) throw new Error(`profile: ${me.body}`);
  return { token, call };
}

export function uploadFile(a: Applicant, id: string, materialId: string, filename: string, bytes: Buffer, type = 'application/pdf') {
  return a.call({ method: 'POST', url: `/online/applications/${id}/materials/${materialId}/files?filename=${encodeURIComponent(filename)}`, payload: bytes, headers: { 'content-type': type } });
}

/** A draft with every required material uploaded (the conditional one marked not applicable). */
export async function readyDraft(t: TestApp, a: Applicant, code = 'ON-001'): Promise<string> {
  const created = await a.call({ method: 'POST', url: '/online/applications', payload: { serviceCode: code } });
  if (created.statusCode !== 201) throw new Error(`create: ${created.body}`);
  const id = created.json().id as string;
  await a.call({ method: 'PUT', url: `/online/applications/${id}`, payload: { notApplicable: ['proxy'], finish: 'online', deliveryMethod: 'post', deliveryAddress: '随州市随县厉山镇神农大道 1 号' } });
  for (const m of ['form', 'id-card']) {
    const res = await uploadFile(a, id, m, `${m}.pdf`, PDF);
    if (res.statusCode !== 201) throw new Error(`upload ${m}: ${res.body}`);
  }
  return id;
}
