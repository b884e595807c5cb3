import { createHash, randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { AppContext } from '../server/context.js';
import { DomainError, duplicate, notFound, validationFailed } from '../server/errors.js';
import { recordAudit, type Actor } from '../audit/audit.js';
import { formatInstant } from '../calendar/zone.js';
import { departments, halls, windows, windowServices } from '../org/tables.js';
import { checkAttachment } from './attachments.js';
import { createCatalogIndex, type CatalogQuery } from './catalog-index.js';
import { guideWarnings, missingParts } from './completeness.js';
import { readWorkbook, writeWorkbook } from './excel.js';
import {
  CATALOG_FORMAT,
  CATEGORY_LABELS,
  KIND_LABELS,
  type CompletenessReport,
  type SixDisclosures,
  CatalogFile,
  DEFAULT_APPOINTMENT,
  GUIDE_PARTS,
  GuideContent,
  type Appointment,
  type AttachmentRef,
  type CatalogItem,
  type GuidePart,
  type ImportError,
  type ItemStatus,
  type Material,
  type ServiceInput,
  type ServiceSettings,
} from './schemas.js';
import { searchKeyOf } from './search.js';
import { byPosition, itemsToSheets, sheetsToEntries, validateEntries, validateJsonItems } from './spreadsheet.js';
import { guideAttachments, guideVersions, offeredAt, services } from './tables.js';
import { attachmentUrl, detailOf, feesView, hoursText, noticeOf, referencedAttachments, type ServiceRow } from './views.js';

type GuideContentIn = Omit<GuideContent, 'materials'> & { materials: (Omit<Material, 'id'> & { id?: string | undefined })[] };

/** Every material gets an id once and keeps it in every later version: cases record materials by id. */
export function withMaterialIds(content: GuideContentIn): GuideContent {
  return { ...content, materials: content.materials.map((m) => ({ ...m, id: m.id ?? `m${randomBytes(4).toString('hex')}` })) };
}

interface Settings {
  queuePrefix: string;
  bookable: boolean;
  appointment: Appointment | null;
  greenChannel: boolean;
}
export interface NewService {
  code: string;
  content: GuideContent;
  settings: Settings;
  publish: boolean;
}

const appointmentFor = (bookable: boolean, given: Appointment | null | undefined, current: Appointment | null = null) =>
  given !== undefined ? given : bookable ? (current ?? DEFAULT_APPOINTMENT) : current;

export function newServiceOf(input: ServiceInput): NewService {
  const { code, publish, queuePrefix, bookable, appointment, greenChannel, ...content } = input;
  return { code, publish, content: withMaterialIds(content), settings: { queuePrefix, bookable, greenChannel, appointment: appointmentFor(bookable, appointment) } };
}

/** What the services row mirrors of a guide, so lists, search and other capabilities read one row. */
const rowFields = (c: GuideContent) => ({
  name: c.name,
  category: c.category,
  departmentId: c.departmentId,
  kind: c.kind,
  legalLimitDays: c.legalLimitDays,
  promisedLimitDays: c.promisedLimitDays,
  onlineApplicable: c.onlineApplicable,
});

const CHUNK = 500;
const chunks = <T,>(list: readonly T[]) => Array.from({ length: Math.ceil(list.length / CHUNK) }, (_, i) => list.slice(i * CHUNK, (i + 1) * CHUNK));

/**
 * Inserts items with their first guide version (published as version 1, or a draft), in the caller's
 * transaction. Used by POST /services, the import and the demo seed; callers check and audit.
 */
export async function insertServices(tx: Db, actor: Actor, hallId: string, now: Date, entries: readonly NewService[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const part of chunks(entries)) {
    const rows = await tx
      .insert(services)
      .values(
        part.map((e) => ({
          hallId,
          code: e.code,
          ...rowFields(e.content),
          ...e.settings,
          currentGuideVersion: e.publish ? 1 : null,
          searchKey: e.publish ? searchKeyOf(e.content.name, e.content.keywords) : '',
          createdAt: now,
          updatedAt: now,
        })),
      )
      .returning({ id: services.id, code: services.code });
    for (const r of rows) ids.set(r.code, r.id);
    await tx.insert(guideVersions).values(
      part.map((e) => ({
        hallId,
        serviceId: ids.get(e.code)!,
        version: e.publish ? 1 : null,
        status: e.publish ? ('published' as const) : ('draft' as const),
        content: e.content,
        note: e.publish ? '首次发布' : '',
        createdAt: now,
        createdBy: actor.id,
        createdByName: actor.name,
        updatedAt: now,
        updatedByName: actor.name,
        publishedAt: e.publish ? now : null,
        publishedBy: e.publish ? actor.id : null,
        publishedByName: e.publish ? actor.name : null,
      })),
    );
  }
  return ids;
}

type ServiceRecord = typeof services.$inferSelect;
type VersionRecord = typeof guideVersions.$inferSelect;

/** A guide for an item that has none (inserted before the catalogue, or by hand): what the row knows. */
/** Stored content read back through the schema, so content written by an older version gets today's defaults. */
const readContent = (content: unknown) => withMaterialIds(GuideContent.parse(content));

function contentOfRow(row: ServiceRecord): GuideContent {
  const { name, category, departmentId, kind, legalLimitDays, promisedLimitDays, onlineApplicable } = row;
  return readContent({ name, category, departmentId, kind, legalLimitDays, promisedLimitDays, onlineApplicable });
}

const iso = (d: Date) => formatInstant(d.getTime());

export function createCatalogService(ctx: AppContext) {
  const { db, clock } = ctx;
  const index = createCatalogIndex(db);

  async function loadService(tx: Db, hallId: string, code: string, lock = false): Promise<ServiceRecord> {
    const query = tx.select().from(services).where(and(eq(services.hallId, hallId), eq(services.code, code)));
    const [row] = lock ? await query.for('update') : await query;
    if (!row) throw notFound('事项', { code });
    return row;
  }

  async function versionOf(tx: Db, serviceId: string, status: 'draft' | 'published'): Promise<VersionRecord | undefined> {
    const [row] = await tx.select().from(guideVersions).where(and(eq(guideVersions.serviceId, serviceId), eq(guideVersions.status, status)));
    return row;
  }

  async function departmentNames(tx: Db, hallId: string): Promise<Map<string, string>> {
    const rows = await tx.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.hallId, hallId));
    return new Map(rows.map((d) => [d.id, d.name]));
  }

  async function windowsOf(tx: Db, serviceId: string) {
    return tx
      .select({ id: windows.id, number: windows.number, name: windows.name })
      .from(windowServices)
      .innerJoin(windows, eq(windows.id, windowServices.windowId))
      .where(eq(windowServices.serviceId, serviceId))
      .orderBy(asc(windows.number));
  }

  async function attachmentRefs(tx: Db, ids: string[]): Promise<Map<string, AttachmentRef>> {
    if (ids.length === 0) return new Map();
    const rows = await tx
      .select({ id: guideAttachments.id, filename: guideAttachments.filename, mimeType: guideAttachments.mimeType, size: guideAttachments.size })
      .from(guideAttachments)
      .where(inArray(guideAttachments.id, ids));
    return new Map(rows.map((a) => [a.id, { ...a, url: attachmentUrl(a.id) }]));
  }

  /** Refuses, with every problem at once, a guide naming a department or attachment it cannot use. */
  async function checkReferences(tx: Db, hallId: string, serviceId: string | null, content: GuideContent): Promise<void> {
    const problems: string[] = [];
    const [dept] = await tx
      .select({ id: departments.id })
      .from(departments)
      .where(and(eq(departments.id, content.departmentId), eq(departments.hallId, hallId)));
    if (!dept) problems.push('所选实施部门不存在');
    const wanted = referencedAttachments(content);
    const found = wanted.length && serviceId
      ? await tx.select({ id: guideAttachments.id }).from(guideAttachments).where(and(inArray(guideAttachments.id, wanted), eq(guideAttachments.serviceId, serviceId)))
      : [];
    const unknown = wanted.filter((id) => !found.some((f) => f.id === id));
    if (unknown.length) problems.push('引用的附件不存在或不属于本事项');
    if (problems.length) throw validationFailed(problems.join('；'), { departmentId: dept ? undefined : content.departmentId, unknownAttachments: unknown });
  }

  async function detail(tx: Db, row: ServiceRecord, content: GuideContent, publishedAt: Date | null) {
    // One after another: inside a transaction the three share one connection, which cannot run queries at once.
    const names = await departmentNames(tx, row.hallId);
    const wins = await windowsOf(tx, row.id);
    const refs = await attachmentRefs(tx, referencedAttachments(content));
    return detailOf({ row: row as ServiceRow, content, departmentName: names.get(content.departmentId) ?? '', windows: wins, attachments: refs, publishedAt: publishedAt ? iso(publishedAt) : null });
  }

  function draftInfo(draft: VersionRecord) {
    const content = readContent(draft.content);
    return { basedOn: draft.basedOn, updatedAt: iso(draft.updatedAt), updatedByName: draft.updatedByName, content, missing: missingParts(content) };
  }

  /** Creates or replaces the item's draft; an item never published mirrors its draft in its row. */
  async function writeDraft(tx: Db, actor: Actor, row: ServiceRecord, content: GuideContent, now: Date): Promise<VersionRecord> {
    await checkReferences(tx, row.hallId, row.id, content);
    const existing = await versionOf(tx, row.id, 'draft');
    let draft: VersionRecord;
    if (existing) {
      [draft] = (await tx
        .update(guideVersions)
        .set({ content, updatedAt: now, updatedByName: actor.name })
        .where(eq(guideVersions.id, existing.id))
        .returning()) as [VersionRecord];
    } else {
      [draft] = (await tx
        .insert(guideVersions)
        .values({ hallId: row.hallId, serviceId: row.id, status: 'draft', basedOn: row.currentGuideVersion, content, createdAt: now, createdBy: actor.id, createdByName: actor.name, updatedAt: now, updatedByName: actor.name })
        .returning()) as [VersionRecord];
    }
    if (row.currentGuideVersion === null) await tx.update(services).set({ ...rowFields(content), updatedAt: now }).where(eq(services.id, row.id));
    await recordAudit(tx, actor, { hallId: row.hallId, action: 'guide.draft_saved', entityType: 'service', entityId: row.code, before: existing?.content ?? null, after: content });
    return draft;
  }

  async function publishDraft(tx: Db, actor: Actor, row: ServiceRecord, note: string, now: Date): Promise<number> {
    const draft = await versionOf(tx, row.id, 'draft');
    if (!draft) throw new DomainError(409, 'NO_DRAFT', '没有待发布的草稿，请先修改指南', { code: row.code });
    const content = readContent(draft.content);
    await checkReferences(tx, row.hallId, row.id, content);
    const [last] = await tx.select({ max: sql<number | null>`max(${guideVersions.version})` }).from(guideVersions).where(eq(guideVersions.serviceId, row.id));
    const version = Number(last?.max ?? 0) + 1;
    await tx.update(guideVersions).set({ status: 'superseded' }).where(and(eq(guideVersions.serviceId, row.id), eq(guideVersions.status, 'published')));
    await tx
      .update(guideVersions)
      .set({ status: 'published', version, content, note, publishedAt: now, publishedBy: actor.id, publishedByName: actor.name })
      .where(eq(guideVersions.id, draft.id));
    await tx
      .update(services)
      .set({ ...rowFields(content), currentGuideVersion: version, searchKey: searchKeyOf(content.name, content.keywords), updatedAt: now })
      .where(eq(services.id, row.id));
    await recordAudit(tx, actor, {
      hallId: row.hallId,
      action: 'guide.published',
      entityType: 'service',
      entityId: row.code,
      before: { version: row.currentGuideVersion },
      after: { version, note, content },
    });
    return version;
  }

  /** An item as the public sees it at a hall: its own, else one its catalogue per level takes from a hall above. */
  async function publicService(tx: Db, hallId: string, code: string): Promise<ServiceRecord> {
    const [row] = await tx
      .select()
      .from(services)
      .where(and(eq(services.code, code), offeredAt(hallId)))
      .orderBy(sql`${services.hallId} = ${hallId} desc`)
      .limit(1);
    if (!row) throw notFound('事项', { code });
    return row;
  }

  async function publishedDetail(tx: Db, hallId: string, code: string) {
    const row = await publicService(tx, hallId, code);
    const published = row.currentGuideVersion === null ? undefined : await versionOf(tx, row.id, 'published');
    if (!published) throw notFound('事项', { code });
    return detail(tx, row, readContent(published.content), published.publishedAt);
  }

  /** Every item of a hall with the content a report checks: the draft when asked for the latest and there is one. */
  async function itemsWithContent(hallId: string, of: 'latest' | 'published', departmentId?: string) {
    const rows = await db
      .select({ service: services, departmentName: departments.name })
      .from(services)
      .innerJoin(departments, eq(departments.id, services.departmentId))
      .where(departmentId ? and(eq(services.hallId, hallId), eq(services.departmentId, departmentId)) : eq(services.hallId, hallId))
      .orderBy(asc(departments.sortOrder), asc(departments.name), asc(services.code));
    const versions = await db
      .select({ serviceId: guideVersions.serviceId, status: guideVersions.status, content: guideVersions.content, updatedAt: guideVersions.updatedAt })
      .from(guideVersions)
      .where(and(eq(guideVersions.hallId, hallId), inArray(guideVersions.status, ['draft', 'published'])));
    const draftOf = new Map<string, (typeof versions)[number]>();
    const publishedOf = new Map<string, (typeof versions)[number]>();
    for (const v of versions) (v.status === 'draft' ? draftOf : publishedOf).set(v.serviceId, v);
    return rows.flatMap(({ service, departmentName }) => {
      const draft = draftOf.get(service.id);
      const published = publishedOf.get(service.id);
      const chosen = of === 'latest' ? (draft ?? published) : published;
      if (of === 'published' && !chosen) return [];
      const content = chosen ? readContent(chosen.content) : contentOfRow(service);
      const status = published ? (draft ? 'published_with_draft' : 'published') : draft ? 'draft' : 'unpublished';
      return [{ service, departmentName, content, status: status as ItemStatus }];
    });
  }

  async function hallInfo(hallId: string) {
    const [hall] = await db.select().from(halls).where(eq(halls.id, hallId));
    if (!hall) throw notFound('服务中心');
    return hall;
  }

  function toCatalogItem(service: ServiceRecord, departmentName: string, content: GuideContent): CatalogItem {
    const { departmentId: _dept, ...guide } = content;
    return {
      code: service.code,
      department: departmentName,
      ...guide,
      queuePrefix: service.queuePrefix,
      bookable: service.bookable,
      appointment: service.appointment,
      greenChannel: service.greenChannel,
    };
  }

  /** Parses an import file into items, or into every problem found in it (row by row). */
  async function parseImport(file: ImportFile): Promise<{ items: CatalogItem[]; errors: ImportError[]; rowOf: (code: string) => { sheet: string; row: number } }> {
    if (file.format === 'xlsx') {
      const sheets = await readWorkbook(file.bytes);
      if (!sheets) return { items: [], errors: [{ sheet: '', row: 0, code: null, field: null, reason: '无法读取该文件，请上传 .xlsx 格式的 Excel 文件' }], rowOf: () => ({ sheet: '', row: 0 }) };
      const parsed = sheetsToEntries(sheets);
      const validated = validateEntries(parsed.entries, parsed.errors);
      const rows = new Map(parsed.entries.map((e) => [e.code, e.row]));
      return { items: validated.items, errors: [...parsed.errors, ...validated.errors], rowOf: (code) => ({ sheet: '事项', row: rows.get(code) ?? 0 }) };
    }
    const envelope = CatalogFile.safeParse(file.body);
    if (!envelope.success) {
      const errors = envelope.error.issues.map((i) => ({ sheet: 'file', row: 0, code: null, field: i.path.join('.') || null, reason: i.message }));
      return { items: [], errors, rowOf: () => ({ sheet: 'items', row: 0 }) };
    }
    const validated = validateJsonItems(envelope.data.items);
    const rows = new Map(validated.items.map((item) => [item.code, envelope.data.items.findIndex((raw) => (raw as { code?: unknown }).code === item.code) + 1]));
    return { ...validated, rowOf: (code) => ({ sheet: 'items', row: rows.get(code) ?? 0 }) };
  }

  /**
   * An imported guide keeps the attachments its item already has (a spreadsheet carries no files):
   * materials by id, forms by name. A reference to a file the item does not own is dropped and reported.
   */
  function carryAttachments(imported: GuideContent, existing: GuideContent | null, owned: ReadonlySet<string>, dropped: (what: string) => void): GuideContent {
    const keep = (id: string | null, fallback: string | null | undefined, what: string) => {
      if (id && owned.has(id)) return id;
      if (id) dropped(what);
      return fallback ?? null;
    };
    return {
      ...imported,
      flowChartId: keep(imported.flowChartId, existing?.flowChartId, '流程图'),
      materials: imported.materials.map((m) => {
        const before = existing?.materials.find((e) => e.id === m.id);
        return { ...m, blankFormId: keep(m.blankFormId, before?.blankFormId, `材料“${m.name}”的空白表格`), sampleId: keep(m.sampleId, before?.sampleId, `材料“${m.name}”的示例样表`) };
      }),
      forms: imported.forms.map((f) => {
        const before = existing?.forms.find((e) => e.name === f.name);
        return { ...f, blankFormId: keep(f.blankFormId, before?.blankFormId, `表格“${f.name}”的空白表格`), sampleId: keep(f.sampleId, before?.sampleId, `表格“${f.name}”的示例样表`) };
      }),
    };
  }

  return {
    // ---- Public ----

    search: (hallId: string, query: CatalogQuery) => index.search(hallId, query),

    publicDetail: (hallId: string, code: string) => publishedDetail(db, hallId, code),

    /** The guide version a case accepted now is accepted under, or an older one by number. */
    async guideFor(hallId: string, code: string, version?: number) {
      const row = await loadService(db, hallId, code);
      const wanted = version ?? row.currentGuideVersion;
      if (wanted === null) throw notFound('已发布的办事指南', { code });
      const [v] = await db.select().from(guideVersions).where(and(eq(guideVersions.serviceId, row.id), eq(guideVersions.version, wanted)));
      if (!v) throw notFound('办事指南版本', { code, version: wanted });
      return { version: wanted, publishedAt: iso(v.publishedAt!), content: readContent(v.content) };
    },

    async notice(hallId: string, code: string, origin: string, hallQuery: string | undefined) {
      const d = await publishedDetail(db, hallId, code);
      const hall = await hallInfo(hallId);
      const base = typeof hall.settings.publicUrl === 'string' && hall.settings.publicUrl ? hall.settings.publicUrl.replace(/\/+$/, '') : origin;
      const url = `${base}/portal/services/${encodeURIComponent(code)}${hallQuery ? `?hall=${encodeURIComponent(hallQuery)}` : ''}`;
      const [svg, png] = await Promise.all([
        QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
        QRCode.toDataURL(url, { margin: 1, width: 240, errorCorrectionLevel: 'M' }),
      ]);
      return {
        ...noticeOf({ detail: d, hall: { name: hall.name, address: hall.address, phone: hall.phone, hoursText: hoursText(hall.hours) }, url, issuedAt: iso(clock.now()) }),
        qr: { svg: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`, png },
      };
    },

    /** 六公开: departments, items, procedures, materials, time limits and fees, for one public page. */
    async sixDisclosures(hallId: string) {
      const hall = await hallInfo(hallId);
      const items = await itemsWithContent(hallId, 'published');
      const windowRows = await db
        .select({ departmentId: windows.departmentId, number: windows.number, name: windows.name })
        .from(windows)
        .where(eq(windows.hallId, hallId))
        .orderBy(asc(windows.number));
      const depts = new Map<string, SixDisclosures['departments'][number]>();
      for (const { service, departmentName, content } of items) {
        let dept = depts.get(service.departmentId);
        if (!dept) {
          dept = { id: service.departmentId, name: departmentName, windows: windowRows.filter((w) => w.departmentId === service.departmentId).map(({ number, name }) => ({ number, name })), items: [] };
          depts.set(service.departmentId, dept);
        }
        const fees = feesView(content.fees);
        dept.items.push({
          code: service.code,
          name: content.name,
          categoryLabel: CATEGORY_LABELS[content.category],
          kind: content.kind,
          kindLabel: KIND_LABELS[content.kind],
          legalLimitDays: content.legalLimitDays,
          promisedLimitDays: content.promisedLimitDays,
          procedure: content.steps.map((s) => s.name),
          materials: content.materials.map((m) => ({ name: m.name, required: m.required, condition: m.condition })),
          fees: fees.summary,
          feeBasis: [...new Set(content.fees.items.map((f) => f.basis).filter(Boolean))],
        });
      }
      return {
        hall: { name: hall.name, address: hall.address, phone: hall.phone, hoursText: hoursText(hall.hours) },
        generatedAt: iso(clock.now()),
        totals: { departments: depts.size, items: items.length },
        departments: [...depts.values()],
      };
    },

    /** An attachment's bytes: anyone may fetch those a published guide refers to, staff of the hall any. */
    async attachment(id: string, staffHallId: string | null) {
      const [a] = await db.select().from(guideAttachments).where(eq(guideAttachments.id, id));
      if (!a) throw notFound('附件');
      if (a.hallId !== staffHallId) {
        const [published] = await db
          .select({ content: guideVersions.content })
          .from(guideVersions)
          .where(and(eq(guideVersions.serviceId, a.serviceId), eq(guideVersions.status, 'published')));
        if (!published || !referencedAttachments(readContent(published.content)).includes(id)) throw notFound('附件');
      }
      return { filename: a.filename, mimeType: a.mimeType, data: Buffer.from(a.data) };
    },

    // ---- Staff ----

    async create(actor: Actor, hallId: string, input: NewService) {
      return db.transaction(async (tx) => {
        const [clash] = await tx.select({ id: services.id }).from(services).where(and(eq(services.hallId, hallId), eq(services.code, input.code)));
        if (clash) throw duplicate(`事项编码“${input.code}”已存在`, { code: input.code });
        await checkReferences(tx, hallId, null, input.content);
        const now = clock.now();
        await insertServices(tx, actor, hallId, now, [input]);
        const row = await loadService(tx, hallId, input.code);
        await recordAudit(tx, actor, { hallId, action: 'service.created', entityType: 'service', entityId: input.code, after: { ...input.settings, published: input.publish, content: input.content } });
        return detail(tx, row, input.content, input.publish ? now : null);
      });
    },

    /** The staff list: every item with its publication state and the review parts it still misses. */
    async staffList(hallId: string, filter: { departmentId?: string; q?: string }) {
      const items = await itemsWithContent(hallId, 'latest', filter.departmentId);
      const q = filter.q?.trim().toLowerCase();
      return items
        .filter(({ service, content }) => !q || service.code.toLowerCase().includes(q) || content.name.toLowerCase().includes(q))
        .map(({ service, departmentName, content, status }) => ({
          code: service.code,
          name: content.name,
          category: content.category,
          departmentId: service.departmentId,
          departmentName,
          kind: content.kind,
          status,
          currentGuideVersion: service.currentGuideVersion,
          missingParts: missingParts(content).map((p) => p.part),
          updatedAt: iso(service.updatedAt),
        }));
    },

    async staffView(hallId: string, code: string) {
      const row = await loadService(db, hallId, code);
      const [published, draft] = await Promise.all([versionOf(db, row.id, 'published'), versionOf(db, row.id, 'draft')]);
      const versions = await db
        .select()
        .from(guideVersions)
        .where(and(eq(guideVersions.serviceId, row.id), isNotNull(guideVersions.version)))
        .orderBy(sql`${guideVersions.version} desc`);
      const attachments = await db
        .select({ id: guideAttachments.id, filename: guideAttachments.filename, mimeType: guideAttachments.mimeType, size: guideAttachments.size, sha256: guideAttachments.sha256, createdAt: guideAttachments.createdAt, createdByName: guideAttachments.createdByName })
        .from(guideAttachments)
        .where(eq(guideAttachments.serviceId, row.id))
        .orderBy(asc(guideAttachments.createdAt));
      const latest = draft ? readContent(draft.content) : published ? readContent(published.content) : contentOfRow(row);
      return {
        code: row.code,
        settings: { queuePrefix: row.queuePrefix, bookable: row.bookable, appointment: row.appointment, greenChannel: row.greenChannel },
        published: published ? await detail(db, row, readContent(published.content), published.publishedAt) : null,
        draft: draft ? draftInfo(draft) : null,
        versions: versions.map((v) => ({ version: v.version!, status: v.status as 'published' | 'superseded', note: v.note, publishedAt: iso(v.publishedAt!), publishedByName: v.publishedByName ?? '' })),
        latest,
        missing: missingParts(latest),
        warnings: guideWarnings(latest),
        attachments: attachments.map((a) => ({ ...a, url: attachmentUrl(a.id), createdAt: iso(a.createdAt) })),
      };
    },

    async version(hallId: string, code: string, version: number) {
      const row = await loadService(db, hallId, code);
      const [v] = await db.select().from(guideVersions).where(and(eq(guideVersions.serviceId, row.id), eq(guideVersions.version, version)));
      if (!v) throw notFound('办事指南版本', { code, version });
      return {
        version,
        status: v.status as 'published' | 'superseded',
        note: v.note,
        publishedAt: iso(v.publishedAt!),
        publishedByName: v.publishedByName ?? '',
        guide: await detail(db, row, readContent(v.content), v.publishedAt),
      };
    },

    async saveDraft(actor: Actor, hallId: string, code: string, content: GuideContentIn) {
      return db.transaction(async (tx) => {
        const row = await loadService(tx, hallId, code, true);
        return draftInfo(await writeDraft(tx, actor, row, withMaterialIds(content), clock.now()));
      });
    },

    /** Puts the materials in a new order (the order a window checks them and the notice numbers them). */
    async reorderMaterials(actor: Actor, hallId: string, code: string, ids: string[]) {
      return db.transaction(async (tx) => {
        const row = await loadService(tx, hallId, code, true);
        const source = (await versionOf(tx, row.id, 'draft')) ?? (await versionOf(tx, row.id, 'published'));
        const content = source ? readContent(source.content) : contentOfRow(row);
        const current = content.materials.map((m) => m.id);
        if (ids.length !== current.length || new Set(ids).size !== ids.length || !ids.every((id) => current.includes(id))) {
          throw validationFailed('新的顺序须恰好包含现有的每一项材料', { expected: current, given: ids });
        }
        const reordered = { ...content, materials: ids.map((id) => content.materials.find((m) => m.id === id)!) };
        return draftInfo(await writeDraft(tx, actor, row, reordered, clock.now()));
      });
    },

    async discardDraft(actor: Actor, hallId: string, code: string) {
      await db.transaction(async (tx) => {
        const row = await loadService(tx, hallId, code, true);
        const draft = await versionOf(tx, row.id, 'draft');
        if (!draft) throw new DomainError(409, 'NO_DRAFT', '没有可放弃的草稿', { code });
        if (row.currentGuideVersion === null) throw new DomainError(409, 'NEVER_PUBLISHED', '事项尚未发布，草稿是它唯一的指南，不能放弃', { code });
        await tx.delete(guideVersions).where(eq(guideVersions.id, draft.id));
        await recordAudit(tx, actor, { hallId, action: 'guide.draft_discarded', entityType: 'service', entityId: code, before: draft.content });
      });
    },

    async publish(actor: Actor, hallId: string, code: string, note: string) {
      return db.transaction(async (tx) => {
        const row = await loadService(tx, hallId, code, true);
        await publishDraft(tx, actor, row, note, clock.now());
        return publishedDetail(tx, hallId, code);
      });
    },

    async updateSettings(actor: Actor, hallId: string, code: string, input: ServiceSettings) {
      return db.transaction(async (tx) => {
        const row = await loadService(tx, hallId, code, true);
        const before = { queuePrefix: row.queuePrefix, bookable: row.bookable, appointment: row.appointment, greenChannel: row.greenChannel };
        const bookable = input.bookable ?? row.bookable;
        const after = {
          queuePrefix: input.queuePrefix ?? row.queuePrefix,
          bookable,
          appointment: appointmentFor(bookable, input.appointment, row.appointment),
          greenChannel: input.greenChannel ?? row.greenChannel,
        };
        await tx.update(services).set({ ...after, updatedAt: clock.now() }).where(eq(services.id, row.id));
        await recordAudit(tx, actor, { hallId, action: 'service.settings_updated', entityType: 'service', entityId: code, before, after });
        return after;
      });
    },

    async uploadAttachment(actor: Actor, hallId: string, code: string, filename: string, bytes: Uint8Array) {
      const check = checkAttachment(filename, bytes);
      if (!check.ok) throw validationFailed(check.reason, { filename });
      return db.transaction(async (tx) => {
        const row = await loadService(tx, hallId, code);
        const meta = { filename: check.filename, mimeType: check.mimeType, size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
        const [a] = await tx
          .insert(guideAttachments)
          .values({ hallId, serviceId: row.id, ...meta, data: bytes, createdAt: clock.now(), createdBy: actor.id, createdByName: actor.name })
          .returning({ id: guideAttachments.id, createdAt: guideAttachments.createdAt });
        const view = { id: a!.id, ...meta, url: attachmentUrl(a!.id), createdAt: iso(a!.createdAt), createdByName: actor.name };
        await recordAudit(tx, actor, { hallId, action: 'attachment.uploaded', entityType: 'service', entityId: code, after: view });
        return view;
      });
    },

    async deleteAttachment(actor: Actor, hallId: string, id: string) {
      await db.transaction(async (tx) => {
        const [a] = await tx
          .select({ id: guideAttachments.id, serviceId: guideAttachments.serviceId, filename: guideAttachments.filename, sha256: guideAttachments.sha256 })
          .from(guideAttachments)
          .where(and(eq(guideAttachments.id, id), eq(guideAttachments.hallId, hallId)));
        if (!a) throw notFound('附件');
        // Published versions are history: a file any version ever showed stays downloadable.
        const [used] = await tx
          .select({ version: guideVersions.version, status: guideVersions.status })
          .from(guideVersions)
          .where(and(eq(guideVersions.serviceId, a.serviceId), sql`${guideVersions.content}::text like ${`%${id}%`}`))
          .limit(1);
        if (used) throw new DomainError(409, 'IN_USE', '附件已被办事指南引用，不能删除', { version: used.version, status: used.status });
        await tx.delete(guideAttachments).where(eq(guideAttachments.id, id));
        await recordAudit(tx, actor, { hallId, action: 'attachment.deleted', entityType: 'attachment', entityId: id, before: a });
      });
    },

    /** The catalogue review: every item missing any of the eight parts, grouped by department. */
    async completeness(hallId: string, options: { departmentId?: string; of: 'latest' | 'published' }) {
      const items = await itemsWithContent(hallId, options.of, options.departmentId);
      const byPart = Object.fromEntries(GUIDE_PARTS.map((p) => [p, 0])) as Record<GuidePart, number>;
      const depts = new Map<string, CompletenessReport['departments'][number]>();
      let incomplete = 0;
      for (const { service, departmentName, content, status } of items) {
        let dept = depts.get(service.departmentId);
        if (!dept) {
          dept = { departmentId: service.departmentId, departmentName, total: 0, incomplete: 0, items: [] };
          depts.set(service.departmentId, dept);
        }
        dept.total++;
        const missing = missingParts(content);
        if (missing.length === 0) continue;
        incomplete++;
        dept.incomplete++;
        for (const m of missing) byPart[m.part]++;
        dept.items.push({ code: service.code, name: content.name, status, missing });
      }
      return {
        checkedAt: iso(clock.now()),
        of: options.of,
        totals: { items: items.length, complete: items.length - incomplete, incomplete },
        byPart,
        departments: [...depts.values()],
      };
    },

    async exportCatalog(hallId: string, format: 'json' | 'xlsx', of: 'latest' | 'published') {
      const hall = await hallInfo(hallId);
      const items = (await itemsWithContent(hallId, of)).map(({ service, departmentName, content }) => toCatalogItem(service, departmentName, content));
      const exportedAt = iso(clock.now());
      const filename = `${hall.code}-事项目录-${exportedAt.slice(0, 10)}`;
      if (format === 'json') {
        const body = { format: CATALOG_FORMAT, formatVersion: 1 as const, exportedAt, hall: { code: hall.code, name: hall.name }, items };
        return { filename: `${filename}.json`, mimeType: 'application/json; charset=utf-8', data: Buffer.from(JSON.stringify(body, null, 2)) };
      }
      return {
        filename: `${filename}.xlsx`,
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        data: await writeWorkbook(itemsToSheets(items), `${hall.name}事项目录`),
      };
    },

    /**
     * Loads a catalogue file: new codes become items, known codes get their guide replaced. All or
     * nothing: any bad row and nothing is imported, with every problem listed. A dry run only reports.
     */
    async importCatalog(actor: Actor, hallId: string, file: ImportFile, options: { dryRun: boolean; publish: boolean }) {
      const { items, errors, rowOf } = await parseImport(file);
      const deptIds = new Map([...(await departmentNames(db, hallId)).entries()].map(([id, name]) => [name, id]));
      const departmentField = file.format === 'xlsx' ? '实施部门' : 'department';
      for (const item of items) {
        if (!deptIds.has(item.department)) {
          errors.push({ ...rowOf(item.code), code: item.code, field: departmentField, reason: `实施部门“${item.department}”不存在，请先在组织管理中添加` });
        }
      }
      const existing = items.length
        ? await db.select().from(services).where(and(eq(services.hallId, hallId), inArray(services.code, items.map((i) => i.code))))
        : [];
      const existingByCode = new Map(existing.map((s) => [s.code, s]));
      const report = {
        dryRun: options.dryRun,
        format: file.format,
        publish: options.publish,
        created: items.filter((i) => !existingByCode.has(i.code)).map((i) => i.code),
        updated: items.filter((i) => existingByCode.has(i.code)).map((i) => i.code),
        errors: errors.sort(byPosition),
        warnings: [] as ImportError[],
      };
      if (errors.length && !options.dryRun) {
        throw validationFailed(`导入文件有 ${errors.length} 处错误，未导入任何事项`, { errors: report.errors });
      }
      if (options.dryRun || errors.length) return report;

      const contentOf = (item: CatalogItem): GuideContent => {
        const { code: _c, department, queuePrefix: _q, bookable: _b, appointment: _a, greenChannel: _g, ...guide } = item;
        return withMaterialIds({ ...guide, departmentId: deptIds.get(department)! });
      };
      await db.transaction(async (tx) => {
        const now = clock.now();
        const owned = existing.length
          ? await tx.select({ id: guideAttachments.id, serviceId: guideAttachments.serviceId }).from(guideAttachments).where(inArray(guideAttachments.serviceId, existing.map((s) => s.id)))
          : [];
        const warn = (code: string) => (what: string) => report.warnings.push({ ...rowOf(code), code, field: null, reason: `${what}在本中心不存在，已略去` });
        const fresh = items
          .filter((i) => !existingByCode.has(i.code))
          .map((item) => ({
            code: item.code,
            content: carryAttachments(contentOf(item), null, new Set(), warn(item.code)),
            settings: { queuePrefix: item.queuePrefix, bookable: item.bookable, greenChannel: item.greenChannel, appointment: appointmentFor(item.bookable, item.appointment) },
            publish: options.publish,
          }));
        await insertServices(tx, actor, hallId, now, fresh);
        for (const item of items.filter((i) => existingByCode.has(i.code))) {
          const row = existingByCode.get(item.code)!;
          const previous = (await versionOf(tx, row.id, 'draft')) ?? (await versionOf(tx, row.id, 'published'));
          const ownedIds = new Set(owned.filter((o) => o.serviceId === row.id).map((o) => o.id));
          const content = carryAttachments(contentOf(item), previous ? readContent(previous.content) : null, ownedIds, warn(item.code));
          await tx
            .update(services)
            .set({ queuePrefix: item.queuePrefix, bookable: item.bookable, greenChannel: item.greenChannel, appointment: appointmentFor(item.bookable, item.appointment, row.appointment), updatedAt: now })
            .where(eq(services.id, row.id));
          await writeDraft(tx, actor, row, content, now);
          if (options.publish) await publishDraft(tx, actor, { ...row }, '目录导入', now);
        }
        await recordAudit(tx, actor, {
          hallId,
          action: 'catalog.imported',
          entityType: 'hall',
          entityId: hallId,
          after: { format: file.format, publish: options.publish, created: report.created, updated: report.updated },
        });
      });
      return report;
    },
  };
}
export type CatalogService = ReturnType<typeof createCatalogService>;

export type ImportFile = { format: 'xlsx'; bytes: Uint8Array } | { format: 'json'; body: unknown };

