// The 办不成事 window's own rules (domain.md, local rules): a matter is solved within 5 or 10 working days,
// handed to the unit it belongs to (转办), or found truly impossible, with its legal reason, and then the
// person is answered within 3 working days of that finding (hall setting). Pure: no I/O, shared with the
// web app (the desk shows the same deadline and disposition the server keeps).

export const DISPOSITIONS = ['solved', 'impossible', 'transferred'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
export const DISPOSITION_LABELS: Record<Disposition, string> = { solved: '已办成', impossible: '确属办不成', transferred: '已转办' };

interface Matter {
  kind: 'complaint' | 'cannot_get_done';
  status: 'open' | 'answered';
  disposition: Disposition | null;
}

export interface RuleError {
  status: 400 | 409;
  code: string;
  message: string;
}

/** Whether the desk may record that the matter truly cannot be done; null when it may. */
export function impossibleFindingRefusal(m: Matter): RuleError | null {
  if (m.kind !== 'cannot_get_done') return { status: 409, code: 'NOT_CANNOT_GET_DONE', message: '只有“办不成事”反映才能认定确属办不成' };
  if (m.status !== 'open') return { status: 409, code: 'ALREADY_ANSWERED', message: '该反映已答复' };
  if (m.disposition === 'impossible') return { status: 409, code: 'ALREADY_FOUND_IMPOSSIBLE', message: '该反映已认定确属办不成' };
  return null;
}

/**
 * The disposition an answer records: a matter found impossible stays so (the answer carries the reason);
 * otherwise a 办不成事 answer says whether it was solved or transferred, and to whom; plain complaints
 * have none.
 */
export function dispositionOnAnswer(m: Matter, input: { disposition?: Disposition; transferredTo?: string }): { disposition: Disposition | null } | RuleError {
  if (m.kind !== 'cannot_get_done') {
    if (input.disposition) return { status: 400, code: 'VALIDATION_FAILED', message: '普通投诉不填写办理结果类别' };
    return { disposition: null };
  }
  if (m.disposition === 'impossible') {
    if (input.disposition && input.disposition !== 'impossible') return { status: 409, code: 'ALREADY_FOUND_IMPOSSIBLE', message: '该反映已认定确属办不成，答复须说明不能办理的理由' };
    return { disposition: 'impossible' };
  }
  if (!input.disposition) return { status: 400, code: 'VALIDATION_FAILED', message: '请选择办理结果：已办成、已转办，或先认定确属办不成' };
  if (input.disposition === 'impossible') return { status: 409, code: 'NOT_FOUND_IMPOSSIBLE', message: '请先认定确属办不成并写明法律依据，再答复' };
  if (input.disposition === 'transferred' && !input.transferredTo?.trim()) return { status: 400, code: 'VALIDATION_FAILED', message: '请填写转办单位' };
  return { disposition: input.disposition };
}

/** The deadline the desk keeps now: the answer after an impossible finding, else the one set at intake. */
export const currentDeadline = <T>(m: { dueAt: T; replyDueAt: T | null }): T => m.replyDueAt ?? m.dueAt;

export interface LedgerCounts {
  received: number;
  open: number;
  solved: number;
  impossible: number;
  transferred: number;
  /** Answered after their deadline, or open past it at `now`. */
  late: number;
}

/** The ledger's head line for a month's 办不成事 matters. */
export function ledgerCounts(rows: readonly { status: 'open' | 'answered'; disposition: Disposition | null; dueAt: Date; replyDueAt: Date | null; answeredAt: Date | null }[], now: Date): LedgerCounts {
  const counts: LedgerCounts = { received: rows.length, open: 0, solved: 0, impossible: 0, transferred: 0, late: 0 };
  for (const r of rows) {
    if (r.status === 'open') counts.open++;
    else if (r.disposition) counts[r.disposition]++;
    if ((r.answeredAt ?? now).getTime() > currentDeadline(r).getTime()) counts.late++;
  }
  return counts;
}
