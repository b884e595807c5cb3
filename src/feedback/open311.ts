// Appeals as Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2), so existing 311 clients can file and
// track them: /open311/v2/services.{json|xml}, services/{code}, requests (GET and POST), requests/{id},
// tokens/{token}, and the service discovery at /open311/discovery.{json|xml}. These routes follow the
// spec, not the /api/v1 conventions: errors are an array of {code, description}, 404 for what does not
// exist, 403 for a missing or wrong api_key, 400 for anything else; jurisdiction_id is the hall's code.
import { createHash, randomBytes } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';
import { and, desc, eq, gte, inArray, isNotNull, lte, max, sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../server/context.js';
import { DomainError, notFound } from '../server/errors.js';
import { recordAudit, redact, type Actor } from '../audit/audit.js';
import { auditEvents } from '../audit/tables.js';
import { rootHallId } from '../server/bootstrap.js';
import { formatInstant } from '../calendar/index.js';
import { departments, halls } from '../org/tables.js';
import { isLandlinePhone, isMobilePhone } from '../shared/identity.js';
import type { AuthUser } from '../auth/service.js';
import { actorOf } from '../auth/service.js';
import { APPEAL_STATUS_LABELS, APPEAL_TYPE_LABELS } from './appeal-states.js';
import type { AppealService } from './appeals.js';
import { toXml } from './open311-xml.js';
import { appealCategories, appeals, open311Keys, type AppealCategoryRow, type AppealRow } from './tables.js';
import type { HallTimes } from './common.js';

export const OPEN311_PREFIX = '/open311';
const SPEC = 'http://wiki.open311.org/GeoReport_v2';
const MAX_SPAN_MS = 90 * 86_400_000;
const MAX_RESULTS = 1000;
const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

type Format = 'json' | 'xml';

/** An error in the spec's shape; `status` is the HTTP status and the code in the body. */
class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
  ) {
    super(message);
  }
}

function send(reply: FastifyReply, format: Format, status: number, root: string, body: unknown) {
  reply.code(status);
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(toXml(root, body));
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
}

const formatOf = (url: string): Format => (/\.xml(\?|$)/.test(url) ? 'xml' : 'json');

function format(value: string): Format {
  if (value !== 'json' && value !== 'xml') throw new Open311Error(404, `Unsupported format: ${value} (use json or xml)`);
  return value;
}

/** A W3C datetime with its offset, as the spec requires of start_date and end_date. */
function w3cDate(name: string, value: unknown): Date | null {
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new Open311Error(400, `${name} must be a W3C datetime with a time zone, e.g. 2010-01-01T00:00:00Z`);
  }
  return new Date(value);
}

/** Comma-delimited lists (`status=open,closed`); a parameter given twice counts as both. */
const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [])).map((v) => v.trim()).filter(Boolean);

const single = (value: unknown): string | undefined => {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

export function createOpen311Keys(ctx: AppContext) {
  const { db, clock } = ctx;
  return {
    async list(user: AuthUser) {
      const rows = await db.select().from(open311Keys).where(eq(open311Keys.hallId, user.hallId)).orderBy(desc(open311Keys.createdAt));
      return rows.map((k) => ({ id: k.id, name: k.name, keyPrefix: k.keyPrefix, active: k.active, createdAt: formatInstant(k.createdAt.getTime()) }));
    },
    /** A new key for an outside system; the key itself is shown only now, only its hash is kept. */
    async create(user: AuthUser, name: string) {
      const key = `o311_${randomBytes(24).toString('base64url')}`;
      const now = clock.now();
      return db.transaction(async (tx) => {
        const [row] = await tx.insert(open311Keys).values({ hallId: user.hallId, name, keyHash: hashKey(key), keyPrefix: key.slice(0, 9), createdAt: now }).returning();
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'open311.key_created', entityType: 'open311_key', entityId: row!.id, after: { name } });
        return { id: row!.id, name, key, keyPrefix: row!.keyPrefix, active: true };
      });
    },
    async revoke(user: AuthUser, id: string) {
      return db.transaction(async (tx) => {
        const [row] = await tx.update(open311Keys).set({ active: false }).where(and(eq(open311Keys.id, id), eq(open311Keys.hallId, user.hallId))).returning();
        if (!row) throw notFound('接口密钥');
        await recordAudit(tx, actorOf(user), { hallId: user.hallId, action: 'open311.key_revoked', entityType: 'open311_key', entityId: id });
        return { id, active: false };
      });
    },
  };
}

export function registerOpen311Routes(app: FastifyInstance, ctx: AppContext, appealService: AppealService, times: HallTimes): Promise<void> {
  const { db, clock } = ctx;

  async function hallOf(jurisdiction: unknown): Promise<string> {
    const code = single(jurisdiction);
    // One jurisdiction per hall: a single-hall deployment may leave jurisdiction_id out.
    if (!code) return rootHallId(db);
    const [hall] = await db.select({ id: halls.id }).from(halls).where(eq(halls.code, code));
    if (!hall) throw new Open311Error(404, `jurisdiction_id not found: ${code}`);
    return hall.id;
  }

  async function categoryOf(hallId: string, code: string): Promise<AppealCategoryRow> {
    const [c] = await db.select().from(appealCategories).where(and(eq(appealCategories.hallId, hallId), eq(appealCategories.code, code), eq(appealCategories.active, true)));
    if (!c) throw new Open311Error(404, `service_code not found: ${code}`);
    return c;
  }

  const serviceOf = (c: AppealCategoryRow) => ({
    service_code: c.code,
    service_name: c.name,
    description: c.description || APPEAL_TYPE_LABELS[c.type],
    metadata: c.attributes.length > 0,
    type: c.open311Type,
    keywords: c.keywords || APPEAL_TYPE_LABELS[c.type],
    group: c.groupName || APPEAL_TYPE_LABELS[c.type],
  });

  const notice = (c: Pick<AppealCategoryRow, 'type'>, limits: Record<string, number>) => `${APPEAL_TYPE_LABELS[c.type]}类诉求，按规定 ${limits[c.type]} 个工作日内办结并答复。`;

  /** A request as the public sees it: no appellant, and for complaints and reports no description either. */
  async function requestViews(hallId: string, rows: AppealRow[]) {
    if (rows.length === 0) return [];
    const time = await times(hallId);
    const cats = new Map((await db.select().from(appealCategories).where(inArray(appealCategories.id, rows.map((r) => r.categoryId!)))).map((c) => [c.id, c]));
    const deptIds = [...new Set(rows.map((r) => r.departmentId).filter((d): d is string => d !== null))];
    const depts = new Map((deptIds.length ? await db.select({ id: departments.id, name: departments.name }).from(departments).where(inArray(departments.id, deptIds)) : []).map((d) => [d.id, d.name]));
    return rows.map((a) => {
      const c = cats.get(a.categoryId!)!;
      const confidential = a.type === 'complaint' || a.type === 'report';
      return {
        service_request_id: a.number,
        status: a.status === 'closed' ? 'closed' : 'open',
        status_notes: APPEAL_STATUS_LABELS[a.status],
        service_name: c.name,
        service_code: c.code,
        description: confidential ? null : (redact(a.content) as string),
        agency_responsible: a.departmentId ? depts.get(a.departmentId) ?? null : null,
        service_notice: notice(c, time.settings.appeal.limits),
        requested_datetime: formatInstant(a.receivedAt.getTime(), time.zone),
        updated_datetime: formatInstant(a.updatedAt.getTime(), time.zone),
        expected_datetime: a.deadlineAt ? formatInstant(a.deadlineAt.getTime(), time.zone) : null,
        address: a.address,
        address_id: a.addressId,
        zipcode: a.zipcode,
        lat: a.lat,
        long: a.long,
        media_url: a.mediaUrl,
      };
    });
  }

  /** Checks the attributes against the service definition; returns them as stored. */
  function attributesOf(c: AppealCategoryRow, body: Record<string, unknown>): Record<string, string | string[]> {
    const given: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(body)) {
      const m = /^attribute\[([^\]]+)\](\[\])?$/.exec(key);
      if (m) given[m[1]!] = (Array.isArray(value) ? value : [value]).map(String);
    }
    const nested = body.attribute;
    if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
      for (const [k, v] of Object.entries(nested as Record<string, unknown>)) given[k] = (Array.isArray(v) ? v : [v]).map(String);
    }
    const out: Record<string, string | string[]> = {};
    for (const attr of c.attributes) {
      const values = (given[attr.code] ?? []).filter((v) => v !== '');
      if (values.length === 0) {
        if (attr.required && attr.variable) throw new Open311Error(400, `attribute[${attr.code}] is required: ${attr.description}`);
        continue;
      }
      const keys = attr.values.map((v) => v.key);
      if (attr.datatype === 'multivaluelist') {
        const wrong = values.filter((v) => !keys.includes(v));
        if (wrong.length) throw new Open311Error(400, `attribute[${attr.code}] has values not in the service definition: ${wrong.join(', ')}`);
        out[attr.code] = values;
        continue;
      }
      if (values.length > 1) throw new Open311Error(400, `attribute[${attr.code}] takes one value`);
      const v = values[0]!;
      if (attr.datatype === 'singlevaluelist' && !keys.includes(v)) throw new Open311Error(400, `attribute[${attr.code}] must be one of: ${keys.join(', ')}`);
      if (attr.datatype === 'number' && !Number.isFinite(Number(v))) throw new Open311Error(400, `attribute[${attr.code}] must be a number`);
      if (attr.datatype === 'datetime' && Number.isNaN(Date.parse(v))) throw new Open311Error(400, `attribute[${attr.code}] must be an ISO 8601 datetime`);
      if (attr.datatype === 'string' && /[\r\n]/.test(v)) throw new Open311Error(400, `attribute[${attr.code}] takes no line breaks`);
      out[attr.code] = v;
    }
    const unknown = Object.keys(given).filter((k) => !c.attributes.some((a) => a.code === k));
    if (unknown.length) throw new Open311Error(400, `unknown attributes for ${c.code}: ${unknown.join(', ')}`);
    return out;
  }

  function numberIn(name: string, value: string | undefined, min: number, maxValue: number): number | null {
    if (value === undefined) return null;
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > maxValue) throw new Open311Error(400, `${name} must be a WGS84 coordinate between ${min} and ${maxValue}`);
    return n;
  }

  return app.register(
    async (o) => {
      // POST Service Request is sent as a form (Content-Type: application/x-www-form-urlencoded).
      o.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
        done(null, parseQuery(body as string));
      });

      o.setErrorHandler((err, request, reply) => {
        const fmt = formatOf(request.url);
        if (err instanceof Open311Error) return send(reply, fmt, err.status, 'errors', [{ code: err.status, description: err.message }]);
        if (err instanceof DomainError) {
          const status = err.status === 404 ? 404 : err.status === 403 || err.status === 401 ? 403 : 400;
          return send(reply, fmt, status, 'errors', [{ code: status, description: err.message }]);
        }
        const status = (err as { statusCode?: number }).statusCode;
        if (typeof status === 'number' && status >= 400 && status < 500) {
          return send(reply, fmt, status === 404 ? 404 : 400, 'errors', [{ code: status === 404 ? 404 : 400, description: 'The request is invalid; check the URL and parameters.' }]);
        }
        request.log.error({ err }, 'open311 error');
        // The spec's "General service error" is a 400 the client reports to the provider.
        return send(reply, fmt, 400, 'errors', [{ code: 400, description: 'General service error; please notify the provider.' }]);
      });
      o.setNotFoundHandler((request, reply) => send(reply, formatOf(request.url), 404, 'errors', [{ code: 404, description: `No such resource: ${request.url.split('?')[0]}` }]));

      const origin = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

      o.get('/discovery.:format', async (req, reply) => {
        const fmt = format((req.params as { format: string }).format);
        const hallId = await hallOf((req.query as Record<string, unknown>).jurisdiction_id);
        const time = await times(hallId);
        const [hall] = await db.select({ name: halls.name, phone: halls.phone }).from(halls).where(eq(halls.id, hallId));
        const [changed] = await db.select({ at: max(auditEvents.at) }).from(auditEvents).where(and(eq(auditEvents.hallId, hallId), eq(auditEvents.entityType, 'appeal_category')));
        const changeset = changed?.at ? formatInstant(changed.at.getTime(), time.zone) : formatInstant(0, time.zone);
        const base = time.publicUrl ?? origin(req);
        return send(reply, fmt, 200, 'discovery', {
          changeset,
          contact: `${hall!.name}${hall!.phone ? ` 电话 ${hall!.phone}` : ''}`,
          key_service: `提交诉求所需的 api_key 请向${hall!.name}管理办公室申请${hall!.phone ? `（电话 ${hall!.phone}）` : ''}。`,
          endpoints: [{ specification: SPEC, url: `${base}${OPEN311_PREFIX}/v2`, changeset, type: 'production', formats: ['text/xml', 'application/json'] }],
        });
      });

      o.get('/v2/services.:format', async (req, reply) => {
        const fmt = format((req.params as { format: string }).format);
        const hallId = await hallOf((req.query as Record<string, unknown>).jurisdiction_id);
        const rows = await appealService.categories(hallId, true);
        return send(reply, fmt, 200, 'services', rows.map(serviceOf));
      });

      o.get('/v2/services/:code.:format', async (req, reply) => {
        const { code, format: f } = req.params as { code: string; format: string };
        const fmt = format(f);
        const c = await categoryOf(await hallOf((req.query as Record<string, unknown>).jurisdiction_id), code);
        return send(reply, fmt, 200, 'service_definition', {
          service_code: c.code,
          attributes: [...c.attributes]
            .sort((a, b) => a.order - b.order)
            .map((a) => ({
              variable: a.variable,
              code: a.code,
              datatype: a.datatype,
              required: a.required,
              datatype_description: a.datatypeDescription,
              order: a.order,
              description: a.description,
              values: a.values.map((v) => ({ key: v.key, name: v.name })),
            })),
        });
      });

      o.post('/v2/requests.:format', async (req, reply) => {
        const fmt = format((req.params as { format: string }).format);
        const body = (req.body ?? {}) as Record<string, unknown>;
        const hallId = await hallOf(body.jurisdiction_id ?? (req.query as Record<string, unknown>).jurisdiction_id);
        const apiKey = single(body.api_key);
        if (!apiKey) throw new Open311Error(403, 'api_key was not provided');
        const [key] = await db.select().from(open311Keys).where(and(eq(open311Keys.keyHash, hashKey(apiKey)), eq(open311Keys.hallId, hallId), eq(open311Keys.active, true)));
        if (!key) throw new Open311Error(403, "Invalid api_key received -- can't proceed with create_request.");
        const code = single(body.service_code);
        if (!code) throw new Open311Error(400, 'service_code was not provided');
        const c = await categoryOf(hallId, code);
        const lat = numberIn('lat', single(body.lat), -90, 90);
        const long = numberIn('long', single(body.long), -180, 180);
        if ((lat === null) !== (long === null)) throw new Open311Error(400, 'lat and long must be sent together');
        const address = single(body.address_string);
        const addressId = single(body.address_id);
        if (lat === null && !address && !addressId) throw new Open311Error(400, 'A location is required: lat & long, address_string or address_id');
        const description = single(body.description);
        if (description && description.length > 4000) throw new Open311Error(400, 'description is limited to 4,000 characters');
        const phone = single(body.phone);
        if (phone && !isMobilePhone(phone) && !isLandlinePhone(phone)) throw new Open311Error(400, 'phone is not a valid phone number');
        const email = single(body.email);
        if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Open311Error(400, 'email is not a valid address');
        const mediaUrl = single(body.media_url);
        if (mediaUrl && !/^https?:\/\/\S+$/.test(mediaUrl)) throw new Open311Error(400, 'media_url must be an http(s) URL');
        const attributes = attributesOf(c, body);
        const name = `${single(body.last_name) ?? ''}${single(body.first_name) ?? ''}` || null;
        const actor: Actor = { id: null, name: `开放接口：${key.name}`, roles: [] };
        const a = await appealService.intake(actor, hallId, {
          categoryCode: c.code,
          source: 'open311',
          content: description ?? c.name,
          appellantName: name,
          appellantPhone: phone ?? null,
          email: email ?? null,
          accountId: single(body.account_id) ?? null,
          address: address ?? null,
          addressId: addressId ?? null,
          lat,
          long,
          mediaUrl: mediaUrl ?? null,
          attributes,
        });
        const time = await times(hallId);
        const accountId = single(body.account_id) ?? null;
        const result = a.open311Token
          ? { token: a.open311Token, service_notice: notice(c, time.settings.appeal.limits), account_id: accountId }
          : { service_request_id: a.number, service_notice: notice(c, time.settings.appeal.limits), account_id: accountId };
        return send(reply, fmt, 201, 'service_requests', [result]);
      });

      o.get('/v2/requests.:format', async (req, reply) => {
        const fmt = format((req.params as { format: string }).format);
        const q = req.query as Record<string, unknown>;
        const hallId = await hallOf(q.jurisdiction_id);
        const where: SQL[] = [eq(appeals.hallId, hallId), isNotNull(appeals.categoryId)];
        const ids = list(q.service_request_id);
        if (ids.length) {
          // service_request_id overrides every other argument.
          where.push(inArray(appeals.number, ids));
        } else {
          const codes = list(q.service_code);
          if (codes.length) where.push(inArray(appeals.categoryId, db.select({ id: appealCategories.id }).from(appealCategories).where(and(eq(appealCategories.hallId, hallId), inArray(appealCategories.code, codes)))));
          const statuses = list(q.status);
          const wrong = statuses.filter((s) => s !== 'open' && s !== 'closed');
          if (wrong.length) throw new Open311Error(400, `status must be open or closed, not ${wrong.join(', ')}`);
          if (statuses.length === 1) where.push(statuses[0] === 'closed' ? eq(appeals.status, 'closed') : sql`${appeals.status} <> 'closed'`);
          let start = w3cDate('start_date', single(q.start_date));
          let end = w3cDate('end_date', single(q.end_date));
          if (start && end && end < start) throw new Open311Error(400, 'end_date is before start_date');
          if (start && end && end.getTime() - start.getTime() > MAX_SPAN_MS) throw new Open311Error(400, 'start_date and end_date may not span more than 90 days');
          // Without dates: the most recent 90 days.
          if (!start && !end) end = clock.now();
          if (!start) start = new Date(end!.getTime() - MAX_SPAN_MS);
          if (!end) end = new Date(start.getTime() + MAX_SPAN_MS);
          where.push(gte(appeals.receivedAt, start), lte(appeals.receivedAt, end));
        }
        const rows = await db.select().from(appeals).where(and(...where)).orderBy(desc(appeals.receivedAt)).limit(MAX_RESULTS);
        return send(reply, fmt, 200, 'service_requests', await requestViews(hallId, rows));
      });

      o.get('/v2/requests/:id.:format', async (req, reply) => {
        const { id, format: f } = req.params as { id: string; format: string };
        const fmt = format(f);
        const hallId = await hallOf((req.query as Record<string, unknown>).jurisdiction_id);
        const rows = await db.select().from(appeals).where(and(eq(appeals.hallId, hallId), eq(appeals.number, id), isNotNull(appeals.categoryId)));
        if (rows.length === 0) throw new Open311Error(404, `service_request_id not found: ${id}`);
        return send(reply, fmt, 200, 'service_requests', await requestViews(hallId, rows));
      });

      o.get('/v2/tokens/:token.:format', async (req, reply) => {
        const { token, format: f } = req.params as { token: string; format: string };
        const fmt = format(f);
        const hallId = await hallOf((req.query as Record<string, unknown>).jurisdiction_id);
        const [a] = await db.select({ number: appeals.number }).from(appeals).where(and(eq(appeals.hallId, hallId), eq(appeals.open311Token, token)));
        if (!a) throw new Open311Error(404, `token not found: ${token}`);
        return send(reply, fmt, 200, 'service_requests', [{ service_request_id: a.number, token }]);
      });
    },
    { prefix: OPEN311_PREFIX },
  ) as unknown as Promise<void>;
}
