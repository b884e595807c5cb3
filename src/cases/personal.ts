import { dataKey } from '../shared/data-key.js';
import type { Db } from '../db/client.js';
import { decrypt, encrypt } from '../shared/crypto.js';
import type { Agent } from './schemas.js';
import type { CaseRow } from './tables.js';

/**
 * Sealing and opening personal numbers (ID numbers, phones) with the hall network's data key, for cases and
 * feedback. `open` takes the sealed column and, for rows written before migration 0014 and not yet sealed
 * by the retention run, the old clear column.
 */
export interface PersonalData {
  seal(value: string): string;
  seal(value: string | null | undefined): string | null;
  open(sealed: string | null | undefined, legacyClear?: string | null): string | null;
}

const cache = new WeakMap<object, Promise<PersonalData>>();

/**
 * The sealer of the application's handle `db`, cached per handle. Inside a transaction pass it as `via`:
 * a first load then reads the key through the transaction (PGlite has one connection, and a read on `db`
 * would wait for the transaction to end), and is not cached, since a key first written by a transaction
 * that rolls back must not outlive it.
 */
export function personalData(db: Db, via: Db = db): Promise<PersonalData> {
  let hit = cache.get(db);
  if (!hit && via !== db) return dataKey(via).then(sealer);
  if (!hit) {
    hit = dataKey(via).then(sealer);
    cache.set(db, hit);
    hit.catch(() => cache.delete(db));
  }
  return hit;
}

function sealer(key: Buffer): PersonalData {
  function seal(value: string): string;
  function seal(value: string | null | undefined): string | null;
  function seal(value: string | null | undefined): string | null {
    return value === null || value === undefined ? null : encrypt(key, value);
  }
  return { seal, open: (sealed, legacyClear = null) => (sealed ? decrypt(key, sealed) : legacyClear) };
}

type SealedContacts = Pick<CaseRow, 'applicantIdNumberEnc' | 'applicantIdNumber' | 'applicantPhoneEnc' | 'applicantPhone' | 'agent' | 'agentEnc'>;

/** A case's applicant and agent numbers in clear ('' once the retention run has anonymised the case). */
export function openContacts(pd: PersonalData, row: SealedContacts): { idNumber: string; phone: string; agent: Agent | null } {
  const agentNumbers = row.agentEnc ? (JSON.parse(pd.open(row.agentEnc)!) as Pick<Agent, 'idNumber' | 'phone'>) : null;
  return {
    idNumber: pd.open(row.applicantIdNumberEnc, row.applicantIdNumber) ?? '',
    phone: pd.open(row.applicantPhoneEnc, row.applicantPhone) ?? '',
    agent: row.agent ? { idNumber: '', phone: '', ...row.agent, ...agentNumbers } : null,
  };
}
