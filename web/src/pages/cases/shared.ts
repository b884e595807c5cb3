import { API_BASE } from '@/api';
import { useAuthStore } from '@/stores/auth';

export type { Board, CaseInbox, CaseListItem, CaseView, Checklist, DeskInfo, PublicCase } from '@shared/cases/schemas.ts';
export { LIGHT_COLORS, type Light } from '@/lights';

/**
 * Opens a notice as issued, in a new tab, for printing. The page needs the staff token, so it is
 * fetched here and shown from a blob rather than linked.
 */
export async function openNotice(caseNumber: string, seq: number): Promise<void> {
  const tab = window.open('', '_blank');
  const res = await fetch(`${API_BASE}/cases/${encodeURIComponent(caseNumber)}/notices/${seq}`, { headers: useAuthStore().sessionHeaders() });
  const html = await res.text();
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }));
  if (tab) tab.location.href = url;
  else window.location.href = url;
}
