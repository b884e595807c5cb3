// Feedback's part in the cases' retention run: sealing phones left in clear by rows older than migration
// 0014, and blanking the rater's phone of ratings of cases that are anonymised.
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';
import type { PersonalData } from '../cases/personal.js';
import { appeals, complaints, petitions, ratings, suggestions } from './tables.js';

/** Each feedback table with a phone, by the property of its clear column (the sealed one adds `Enc`). */
const PHONES = [
  [ratings, 'raterPhone'],
  [complaints, 'complainantPhone'],
  [petitions, 'phone'],
  [suggestions, 'contactPhone'],
  [appeals, 'appellantPhone'],
] as const;

/** Seals up to `limit` clear phones per table of a hall; returns how many it sealed. */
export async function sealFeedbackPhones(tx: Db, pd: PersonalData, hallId: string, limit: number): Promise<number> {
  let sealed = 0;
  for (const [table, field] of PHONES) {
    const columns = table as unknown as Record<'id' | 'hallId' | typeof field, PgColumn>;
    const rows = (await tx
      .select({ id: columns.id, phone: columns[field] })
      .from(table)
      .where(and(eq(columns.hallId, hallId), isNotNull(columns[field])))
      .limit(limit)) as { id: string; phone: string }[];
    for (const row of rows) {
      await tx.update(table).set({ [field]: null, [`${field}Enc`]: pd.seal(row.phone) }).where(eq(columns.id, row.id));
    }
    sealed += rows.length;
  }
  return sealed;
}

/** The ratings of anonymised cases lose the rater's phone; grade and comment stay for the indicators. */
export async function anonymiseCaseRatings(tx: Db, caseIds: string[]): Promise<number> {
  if (caseIds.length === 0) return 0;
  const rows = await tx
    .update(ratings)
    .set({ raterPhone: null, raterPhoneEnc: null })
    .where(and(inArray(ratings.caseId, caseIds), isNotNull(ratings.raterPhoneEnc)))
    .returning({ id: ratings.id });
  return rows.length;
}
