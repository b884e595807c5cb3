// A subtree's bulletin (issue 12): the halls' own bulletins added up row by row. Counts are summed, rates
// recomputed from the summed parts (never averaged), rows and lists joined with the hall they come from,
// and the rankings drawn again over the joined rows by the bulletin's own rule, so a district's bulletin
// is by construction the sum of its halls' ones.
import { onTimeRate } from './case-figures.js';
import { rankings, type Bulletin } from './bulletin.js';
import { onlineShares } from '../online/figures.js';

const sum = (parts: readonly Bulletin[], f: (b: Bulletin) => number) => parts.reduce((a, b) => a + f(b), 0);
const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

/** `top` is the subtree's root: its title, texts and month; `parts` every hall of the subtree, top included. */
export function mergeBulletins(top: Bulletin, parts: readonly Bulletin[]): Bulletin & { halls: string[] } {
  const tagged = <T>(pick: (b: Bulletin) => readonly T[]) => parts.flatMap((b) => pick(b).map((row) => ({ ...row, hallName: b.hallName })));
  const joined = <T>(pick: (b: Bulletin) => readonly T[]) => parts.flatMap((b) => [...pick(b)]);
  const add = (f: (b: Bulletin) => number) => sum(parts, f);
  const windows = tagged((b) => b.windows);
  const departments = tagged((b) => b.departments);
  const basis = { withDeadline: add((b) => b.basis.withDeadline), onTime: add((b) => b.basis.onTime), satisfied: add((b) => b.basis.satisfied) };
  const ratings = add((b) => b.ratings);
  const attendance = top.attendance;
  return {
    ...top,
    halls: parts.map((b) => b.hallName),
    casesAccepted: add((b) => b.casesAccepted),
    casesFinished: add((b) => b.casesFinished),
    immediate: add((b) => b.immediate),
    promised: add((b) => b.promised),
    joint: add((b) => b.joint),
    onTimeRate: onTimeRate(basis),
    satisfaction: ratio(basis.satisfied, ratings),
    ratings,
    basis,
    windows,
    departments,
    ...rankings(windows, departments),
    infoReports: { entries: joined((b) => b.infoReports.entries), units: [...new Set(joined((b) => b.infoReports.units))] },
    leaderVisits: joined((b) => b.leaderVisits),
    mediaReports: joined((b) => b.mediaReports),
    otherWork: joined((b) => b.otherWork),
    goodDeeds: joined((b) => b.goodDeeds),
    attendance: {
      ...(Object.fromEntries(Object.keys(attendance).filter((k) => k !== 'byKind').map((k) => [k, add((b) => b.attendance[k as Exclude<keyof typeof attendance, 'byKind'>])])) as Omit<typeof attendance, 'byKind'>),
      byKind: Object.fromEntries(Object.keys(attendance.byKind).map((k) => [k, { days: add((b) => b.attendance.byKind[k as keyof typeof attendance.byKind].days) }])) as typeof attendance.byKind,
    },
    inspections: { count: add((b) => b.inspections.count), inspected: joined((b) => b.inspections.inspected), notInspected: joined((b) => b.inspections.notInspected) },
    abGaps: { count: add((b) => b.abGaps.count), minutes: add((b) => b.abGaps.minutes), windows: joined((b) => b.abGaps.windows) },
    extendedServices: { count: add((b) => b.extendedServices.count), minutes: add((b) => b.extendedServices.minutes), people: add((b) => b.extendedServices.people) },
    complaints: {
      complaints: add((b) => b.complaints.complaints),
      cannotGetDone: add((b) => b.complaints.cannotGetDone),
      answered: add((b) => b.complaints.answered),
      substantiated: add((b) => b.complaints.substantiated),
      messages: add((b) => b.complaints.messages),
      byWindow: tagged((b) => b.complaints.byWindow),
    },
    online: onlineShares({
      items: add((b) => b.online.items),
      onlineItems: add((b) => b.online.onlineItems),
      cases: add((b) => b.online.cases),
      onlineCases: add((b) => b.online.onlineCases),
      visits: add((b) => b.online.visits),
    }),
    awards: {
      red_flag: tagged((b) => b.awards.red_flag),
      star_chief: tagged((b) => b.awards.star_chief),
      service_model: tagged((b) => b.awards.service_model),
      other: tagged((b) => b.awards.other),
    },
  };
}
