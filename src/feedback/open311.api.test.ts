import { Ajv, type AnySchema } from 'ajv';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { discoverySchema, errorsSchema, postResponseSchema, requestsSchema, serviceDefinitionSchema, servicesSchema, tokensSchema } from './open311.schemas.js';
import { api } from './test-helpers.js';
import { xmlToJson } from './test-xml.js';

const ajv = new Ajv({ allErrors: true, strict: false });
// XML carries text only: the same schemas, with "true" and "12" read as the boolean and number they say.
const ajvXml = new Ajv({ allErrors: true, strict: false, coerceTypes: true });

/** Checks a JSON answer against its schema and returns the body. */
function json(res: LightMyRequestResponse, schema: AnySchema, status = 200): any {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  const body = res.json();
  const valid = ajv.validate(schema, body);
  expect(valid, ajv.errorsText()).toBe(true);
  return body;
}

/** Checks an XML answer: declaration, the spec's root element, and its content against the same schema. */
function xml(res: LightMyRequestResponse, root: string, schema: AnySchema, status = 200): any {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
  const doc = xmlToJson(res.body);
  expect(doc.root).toBe(root);
  const valid = ajvXml.validate(schema, doc.value);
  expect(valid, ajvXml.errorsText()).toBe(true);
  return doc.value;
}

describe('Open311 GeoReport v2', () => {
  let t: TestApp;
  let key: string;
  beforeEach(async () => {
    t = await createTestApp({ now: '2025-10-09T09:00:00+08:00' });
    const category = await api(t, 'manager', {
      method: 'POST',
      url: '/appeal-categories',
      payload: {
        code: 'LIGHT',
        name: '路灯损坏',
        description: '路灯不亮、灯杆倾斜',
        type: 'help',
        departmentId: t.hall.departmentId,
        level: 'community',
        groupName: '市政设施',
        keywords: '路灯,照明',
        attributes: [
          { code: 'POLE', datatype: 'string', required: true, order: 1, description: '灯杆编号' },
          { code: 'KIND', datatype: 'singlevaluelist', required: false, order: 2, description: '故障类型', values: [{ key: 'off', name: '不亮' }, { key: 'flicker', name: '闪烁' }] },
        ],
      },
    });
    expect(category.statusCode, category.body).toBe(201);
    await api(t, 'manager', { method: 'POST', url: '/appeal-categories', payload: { code: 'NOISE', name: '施工噪音投诉', type: 'complaint', departmentId: t.hall.departmentId } });
    await api(t, 'manager', { method: 'POST', url: '/appeal-categories', payload: { code: 'IDEA', name: '意见建议', type: 'suggestion', departmentId: t.hall.departmentId, open311Type: 'batch' } });
    const created = await api(t, 'manager', { method: 'POST', url: '/open311/keys', payload: { name: '市 12345 平台' } });
    key = created.json().key;
  });
  afterAll(() => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url: `/open311${url}` });
  const post = (url: string, form: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: `/open311${url}`, payload: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } });
  const valid = () => ({ api_key: key, service_code: 'LIGHT', lat: '31.85', long: '113.30', description: '3 号楼旁路灯不亮，联系电话 13812345678', 'attribute[POLE]': 'LD-0231', 'attribute[KIND]': 'off', first_name: '小明', last_name: '李', phone: '13812345678' });

  it('answers discovery, the service list and service definitions in JSON and XML per the spec', async () => {
    const disc = json(await get('/discovery.json'), discoverySchema);
    expect(disc.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', type: 'production', formats: ['text/xml', 'application/json'] });
    expect(disc.endpoints[0].url).toMatch(/\/open311\/v2$/);
    xml(await get('/discovery.xml'), 'discovery', discoverySchema);

    const services = json(await get('/v2/services.json'), servicesSchema);
    expect(services.map((s: { service_code: string }) => s.service_code).sort()).toEqual(['IDEA', 'LIGHT', 'NOISE']);
    expect(services.find((s: { service_code: string }) => s.service_code === 'LIGHT')).toEqual({
      service_code: 'LIGHT',
      service_name: '路灯损坏',
      description: '路灯不亮、灯杆倾斜',
      metadata: true,
      type: 'realtime',
      keywords: '路灯,照明',
      group: '市政设施',
    });
    const fromXml = xml(await get('/v2/services.xml?jurisdiction_id=TEST'), 'services', servicesSchema);
    expect(fromXml).toHaveLength(3);

    const def = json(await get('/v2/services/LIGHT.json'), serviceDefinitionSchema);
    expect(def.attributes.map((a: { code: string; order: number }) => [a.code, a.order])).toEqual([['POLE', 1], ['KIND', 2]]);
    expect(def.attributes[1].values).toEqual([{ key: 'off', name: '不亮' }, { key: 'flicker', name: '闪烁' }]);
    xml(await get('/v2/services/LIGHT.xml'), 'service_definition', serviceDefinitionSchema);

    json(await get('/v2/services/NOPE.json'), errorsSchema, 404);
    xml(await get('/v2/services/NOPE.xml'), 'errors', errorsSchema, 404);
    const wrongHall = json(await get('/v2/services.json?jurisdiction_id=NOWHERE'), errorsSchema, 404);
    expect(wrongHall[0].description).toContain('jurisdiction_id');
    json(await get('/v2/nothing.json'), errorsSchema, 404);
  });

  it('files an appeal by POST (form-encoded, api_key) that the department finds in its inbox, and tracks it', async () => {
    const created = json(await post('/v2/requests.json', valid()), postResponseSchema, 201);
    const id = created[0].service_request_id as string;
    expect(created[0].service_notice).toContain('10 个工作日');

    const inbox = (await api(t, 'leader', { method: 'GET', url: '/appeals/inbox' })).json();
    expect(inbox).toEqual([expect.objectContaining({ number: id, source: 'open311', status: 'dispatched', level: 'community', categoryCode: 'LIGHT', appellantName: '李小明' })]);
    const detail = (await api(t, 'leader', { method: 'GET', url: `/appeals/${inbox[0].id}` })).json();
    expect(detail.history[0]).toMatchObject({ action: 'receive', actorName: '开放接口：市 12345 平台' });

    const one = json(await get(`/v2/requests/${id}.json`), requestsSchema);
    expect(one).toEqual([
      expect.objectContaining({
        service_request_id: id,
        status: 'open',
        service_code: 'LIGHT',
        service_name: '路灯损坏',
        agency_responsible: '测试局',
        // The public sees no appellant and no phone number.
        description: '3 号楼旁路灯不亮，联系电话 138****5678',
        lat: 31.85,
        long: 113.3,
        requested_datetime: '2025-10-09T09:00:00+08:00',
        expected_datetime: '2025-10-22T17:00:00+08:00',
      }),
    ]);
    expect(JSON.stringify(one)).not.toContain('李小明');
    const oneXml = xml(await get(`/v2/requests/${id}.xml`), 'service_requests', requestsSchema);
    expect(oneXml[0]).toMatchObject({ service_request_id: id, status: 'open' });

    expect(json(await get('/v2/requests.json?status=open&service_code=LIGHT'), requestsSchema).map((r: { service_request_id: string }) => r.service_request_id)).toEqual([id]);
    expect(json(await get('/v2/requests.json?status=closed'), requestsSchema)).toEqual([]);
    expect(json(await get('/v2/requests.json?start_date=2025-10-01T00:00:00Z&end_date=2025-10-08T00:00:00Z'), requestsSchema)).toEqual([]);
    expect(json(await get(`/v2/requests.json?service_request_id=${id},NOPE&status=closed`), requestsSchema)).toHaveLength(1);
    xml(await get('/v2/requests.xml'), 'service_requests', requestsSchema);
    json(await get('/v2/requests.json?start_date=2025-01-01T00:00:00Z&end_date=2025-10-01T00:00:00Z'), errorsSchema, 400);
    json(await get('/v2/requests.json?status=pending'), errorsSchema, 400);
    json(await get('/v2/requests.json?start_date=yesterday'), errorsSchema, 400);
    json(await get('/v2/requests/NOPE.json'), errorsSchema, 404);

    // Closed through the loop, the public sees it closed.
    const a = inbox[0].id as string;
    await api(t, 'leader', { method: 'POST', url: `/appeals/${a}/actions`, payload: { action: 'sign' } });
    await api(t, 'leader', { method: 'POST', url: `/appeals/${a}/actions`, payload: { action: 'answer', answer: '已修复' } });
    await api(t, 'manager', { method: 'POST', url: `/appeals/${a}/actions`, payload: { action: 'revisit', satisfaction: 'satisfied' } });
    expect(json(await get(`/v2/requests/${id}.json`), requestsSchema)[0]).toMatchObject({ status: 'closed', status_notes: '已回访办结' });
  });

  it('refuses a missing or wrong api_key (403), an unknown service (404) and bad input (400), changing nothing', async () => {
    const before = await t.counts();
    const { api_key: _k, ...noKey } = valid();
    const missing = json(await post('/v2/requests.json', noKey), errorsSchema, 403);
    expect(missing[0].code).toBe(403);
    const wrong = xml(await post('/v2/requests.xml', { ...valid(), api_key: 'o311_wrong' }), 'errors', errorsSchema, 403);
    expect(wrong[0].description).toContain('api_key');
    json(await post('/v2/requests.json', { ...valid(), service_code: 'NOPE' }), errorsSchema, 404);
    const { service_code: _c, ...noCode } = valid();
    json(await post('/v2/requests.json', noCode), errorsSchema, 400);
    const { lat: _lat, long: _long, ...noPlace } = valid();
    const place = json(await post('/v2/requests.json', noPlace), errorsSchema, 400);
    expect(place[0].description).toContain('location');
    const { 'attribute[POLE]': _p, ...noPole } = valid();
    expect(json(await post('/v2/requests.json', noPole), errorsSchema, 400)[0].description).toContain('attribute[POLE]');
    json(await post('/v2/requests.json', { ...valid(), 'attribute[KIND]': 'exploded' }), errorsSchema, 400);
    json(await post('/v2/requests.json', { ...valid(), lat: '95' }), errorsSchema, 400);
    json(await post('/v2/requests.json', { ...valid(), phone: '12345' }), errorsSchema, 400);
    json(await post('/v2/requests.json', { ...valid(), description: 'x'.repeat(4001) }), errorsSchema, 400);
    const revoked = (await api(t, 'manager', { method: 'GET', url: '/open311/keys' })).json();
    await api(t, 'manager', { method: 'POST', url: `/open311/keys/${revoked[0].id}/revoke` });
    const afterRevoke = await t.counts();
    json(await post('/v2/requests.json', valid()), errorsSchema, 403);
    expect(await t.counts()).toEqual(afterRevoke);
    expect(before.appeals).toBe(0);
    expect(afterRevoke.appeals).toBe(0);
  });

  it('answers a batch service with a token that resolves to the request id, and keeps complaints’ descriptions private', async () => {
    const created = json(await post('/v2/requests.json', { api_key: key, service_code: 'IDEA', address_string: '随县政务服务中心', description: '建议增加周末服务' }), postResponseSchema, 201);
    expect(created[0].service_request_id).toBeUndefined();
    const token = created[0].token as string;
    const resolved = json(await get(`/v2/tokens/${token}.json`), tokensSchema);
    expect(resolved).toEqual([{ service_request_id: expect.stringMatching(/^SQ20251009\d{3}$/), token }]);
    xml(await get(`/v2/tokens/${token}.xml`), 'service_requests', tokensSchema);
    json(await get('/v2/tokens/unknown.json'), errorsSchema, 404);

    const complaint = json(await post('/v2/requests.json', { api_key: key, service_code: 'NOISE', address_id: 'A-17', description: '工地夜间施工，举报人张三' }), postResponseSchema, 201);
    const [view] = json(await get(`/v2/requests/${complaint[0].service_request_id}.json`), requestsSchema);
    expect(view.description).toBeNull();
    expect(view.address_id).toBe('A-17');
  });
});
