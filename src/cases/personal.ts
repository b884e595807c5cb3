import type { Db } from '../db/client.js';
import { keyring, type Keyring } from '../shared/data-key.js';
import type { Agent } from './schemas.js';
import type { CaseRow } from './tables.js';

/**
 * Sealing and opening personal numbers (ID numbers, phones) with the hall network's keyring, for cases and
 * feedback, where a value may be absent. `open` takes the sealed column and, for rows written before
 * migration 0014 and not yet sealed by the retention run, the old clear column.
 */
export interface PersonalData {
  seal(value: string): string;
  seal(value: string | null | undefined): string | null;
  open(sealed: string | null | undefined, legacyClear?: string | null): string | null;
}

/** On the database or inside a transaction: the keyring decides what it may cache. */
export function personalData(db: Db): Promise<PersonalData> {
  return keyring(db).then(sealer);
}

function sealer(ring: Keyring): PersonalData {
  function seal(value: string): string;
  function seal(value: string | null | undefined): string | null;
  function seal(value: string | null | undefined): string | null {
    return value === null || value === undefined ? null : ring.seal(value);
  }
  return { seal, open: (sealed, legacyClear = null) => (sealed ? ring.open(sealed) : legacyClear) };
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
