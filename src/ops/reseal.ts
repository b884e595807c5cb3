import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { TimerHandler } from '../jobs/timers.js';
import type { AppContext } from '../server/context.js';
import { scheduleTimer } from '../jobs/timers.js';
import { keyring, type Keyring } from '../shared/data-key.js';
import { rowsOf } from '../db/reads.js';

/** A column holding sealed personal numbers, and the rows of it that hold one. */
export interface SealedColumn {
  table: string;
  column: string;
  idType: string;
  where?: SQL;
}


/**
 * Columns sealed in place before they were sealed at all, so they lack the `_enc` suffix every other sealed
 * column has; the outbox's staff notices name a user id, not a phone.
 */
const SEALED_IN_PLACE: Record<string, { column: string; where?: SQL }> = {
  tickets: { column: 'phone' },
  notifications: { column: 'recipient', where: sql`channel = 'sms'` },
};

/** Every sealed column of the schema: each `*_enc` text column (whoever added it) and the two sealed in place. */
export async function sealedColumns(db: Db): Promise<SealedColumn[]> {
  const inPlace = Object.entries(SEALED_IN_PLACE).map(([table, { column }]) => `${table}.${column}`);
  const rows = rowsOf<{ table: string; column: string; id_type: string | null }>(
    await db.execute(sql`
      select c.table_name as "table", c.column_name as "column",
        (select format_type(a.atttypid, a.atttypmod) from pg_attribute a
          where a.attrelid = (quote_ident(c.table_name))::regclass and a.attname = 'id' and not a.attisdropped) as id_type
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
      where c.table_schema = current_schema() and c.data_type = 'text'
        and (c.column_name like '%\\_enc' or c.table_name || '.' || c.column_name = any(${`{${inPlace.join(',')}}`}::text[]))
      order by 1, 2`),
  );
  return rows.map((r) => {
    if (!r.id_type) throw new Error(`${r.table} 没有 id 列，无法分批重新加密 ${r.column}`);
    return { table: r.table, column: r.column, idType: r.id_type, where: SEALED_IN_PLACE[r.table]?.column === r.column ? SEALED_IN_PLACE[r.table]!.where : undefined };
  });
}

/**
 * Which values of a column need work: `clear` ones (never sealed), or every one not sealed with the key of
 * id `keyId` (a rotation; null: every value, the new key is yet to be made).
 */
export type Needing = { clear: true } | { keyId: string | null };

export function needing(target: SealedColumn, what: Needing, hallId?: string): SQL {
  const col = sql.identifier(target.column);
  const parts = [sql`${col} is not null`, sql`${col} <> ''`];
  if ('clear' in what) parts.push(sql`${col} !~ '^v[12]\\.'`);
  // Not LIKE: key ids are base64url and may contain `_`, LIKE's one-character wildcard.
  else if (what.keyId) parts.push(sql`left(${col}, ${what.keyId.length + 4}) <> ${`v2.${what.keyId}.`}`);
  if (target.where) parts.push(target.where);
  if (hallId) parts.push(sql`hall_id = ${hallId}`);
  return sql.join(parts, sql` and `);
}

/**
 * Seals one batch of a column's values that need work with the keyring's current key, opening sealed ones
 * first, in the caller's transaction; rows after `after` (by id) only. Returns the batch's rows and the last
 * id, so a caller walks a table once; a crashed walk is finished by walking again (done rows no longer match).
 */
export async function resealBatch(
  tx: Db,
  ring: Keyring,
  target: SealedColumn,
  what: Needing,
  options: { after?: string; limit: number; hallId?: string },
): Promise<{ count: number; last: string | null }> {
  const table = sql.identifier(target.table);
  const col = sql.identifier(target.column);
  const idType = sql.raw(target.idType);
  const after = options.after === undefined ? sql`true` : sql`id > ${options.after}::${idType}`;
  const rows = rowsOf<{ id: string; value: string }>(
    await tx.execute(sql`select id::text as id, ${col} as value from ${table}
      where ${after} and ${needing(target, what, options.hallId)} order by id limit ${options.limit} for update`),
  );
  if (rows.length === 0) return { count: 0, last: null };
  const resealed = rows.map((r) => ({ id: r.id, value: ring.seal(ring.openOrClear(r.value)) }));
  await tx.execute(sql`update ${table} set ${col} = v.value
    from jsonb_to_recordset(${JSON.stringify(resealed)}::jsonb) as v(id text, value text)
    where ${table}.id = v.id::${idType}`);
  return { count: rows.length, last: rows.at(-1)!.id };
}

export const SEAL_CLEAR = 'ops.seal_clear';
const SEAL_CLEAR_BATCH = 500;

/**
 * A hall's `ops.seal_clear` timer (migration 0021): seals the phones written in clear before the outbox
 * and tickets sealed them, a batch per column per firing; while any remain it fires again at once.
 */
export function opsTimerHandlers(ctx: AppContext): Record<string, TimerHandler> {
  return {
    [SEAL_CLEAR]: async (tx, timer) => {
      const ring = await keyring(tx);
      let more = false;
      for (const target of (await sealedColumns(tx)).filter((t) => SEALED_IN_PLACE[t.table]?.column === t.column)) {
        const { count } = await resealBatch(tx, ring, target, { clear: true }, { limit: SEAL_CLEAR_BATCH, hallId: timer.hallId });
        more ||= count === SEAL_CLEAR_BATCH;
      }
      if (more) {
        const dueAt = new Date(Math.max(ctx.clock.now().getTime(), timer.dueAt.getTime() + 1));
        await scheduleTimer(tx, { hallId: timer.hallId, kind: SEAL_CLEAR, key: timer.key, dueAt });
      }
    },
  };
}
