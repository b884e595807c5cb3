// Deadlines and lights: the prefix-sum calendar against the obvious day-by-day loop.
//
//   npx tsx bench/calendar.bench.ts [cases]        (default 1,000,000)
//
// Both implementations run on the same seeded random cases (accepted 2024-2026, limits 1-60 working days,
// one case in five paused once) and must agree on every case before any time is reported.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { deadlineFor, lightAt, WorkingCalendar, type HallHours, type Light, type Pause } from '../src/calendar/index.js';
import { seededRandom } from '../src/shared/random.js';

const CASES = Number(process.argv[2] ?? 1_000_000);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const OFFSET = 8 * HOUR; // Asia/Shanghai

const HOURS: HallHours = {
  workday: [
    ['09:00', '12:00'],
    ['13:00', '17:00'],
  ],
  weekend: [['09:00', '12:00']],
  ticketCutoffMinutes: 30,
};
const SETTINGS = { yellowBeforeMinutes: 240, reminderBeforeYellowMinutes: 120 };
const LIMITS = [1, 2, 3, 5, 10, 20, 30, 45, 60];

interface Case {
  acceptedAt: number;
  limitDays: number;
  pauses: Pause[];
  now: number;
}

function makeCases(n: number): Case[] {
  const random = seededRandom(20_251_001);
  const start = Date.UTC(2024, 0, 1) - OFFSET;
  const span = Date.UTC(2027, 0, 1) - OFFSET - start;
  const cases: Case[] = [];
  for (let i = 0; i < n; i++) {
    const acceptedAt = start + Math.floor(random() * span);
    const limitDays = LIMITS[Math.floor(random() * LIMITS.length)] ?? 1;
    const pauses: Pause[] = [];
    if (random() < 0.2) {
      const from = acceptedAt + Math.floor(random() * 10 * DAY);
      pauses.push({ from, to: from + HOUR + Math.floor(random() * 5 * DAY) });
    }
    cases.push({ acceptedAt, limitDays, pauses, now: acceptedAt + Math.floor(random() * limitDays * 1.6 * DAY) });
  }
  return cases;
}

// ---- The obvious implementation: walk day by day ----

// How the loop steps through days: over date strings (what one writes first), or over the same
// day-number table the fast path uses (so the comparison isolates the algorithm).
interface DayOps<D> {
  of(ms: number): D;
  next(day: D): D;
  midnight(day: D): number;
  isWorkday(day: D): boolean;
}

function stringDays(calendar: WorkingCalendar): DayOps<string> {
  const closed = new Set<string>();
  const makeup = new Set<string>();
  for (const d of calendar.days('2004-01-01', '2026-12-31')) {
    if (d.kind === 'holiday') closed.add(d.date);
    if (d.kind === 'makeup') makeup.add(d.date);
  }
  return {
    of: (ms) => new Date(ms + OFFSET).toISOString().slice(0, 10),
    next: (date) => new Date(Date.parse(date) + DAY).toISOString().slice(0, 10),
    midnight: (date) => Date.parse(`${date}T00:00:00+08:00`),
    isWorkday: (date) => {
      if (makeup.has(date)) return true;
      if (closed.has(date)) return false;
      const w = new Date(date).getUTCDay();
      return w !== 0 && w !== 6;
    },
  };
}

function numberDays(calendar: WorkingCalendar): DayOps<number> {
  return {
    of: (ms) => Math.floor((ms + OFFSET) / DAY),
    next: (day) => day + 1,
    midnight: (day) => day * DAY - OFFSET,
    isWorkday: (day) => calendar.isWorkdayNumber(day),
  };
}

function naive<D>(days: DayOps<D>) {
  const sessions = [
    [9 * HOUR, 12 * HOUR],
    [13 * HOUR, 17 * HOUR],
  ] as const;

  // Working ms between two instants, day by day.
  const workingMs = (from: number, to: number) => {
    let total = 0;
    for (let day = days.of(from); days.midnight(day) < to; day = days.next(day)) {
      if (!days.isWorkday(day)) continue;
      const midnight = days.midnight(day);
      for (const [s, e] of sessions) {
        const a = Math.max(from, midnight + s);
        const b = Math.min(to, midnight + e);
        if (b > a) total += b - a;
      }
    }
    return total;
  };

  // The earliest instant with `ms` working ms elapsed after `from`, day by day.
  const addWorkingMs = (from: number, ms: number) => {
    if (ms === 0) return from;
    let left = ms;
    for (let day = days.of(from); ; day = days.next(day)) {
      if (!days.isWorkday(day)) continue;
      const midnight = days.midnight(day);
      for (const [s, e] of sessions) {
        const a = Math.max(from, midnight + s);
        const b = midnight + e;
        if (b <= a) continue;
        if (left <= b - a) return a + left;
        left -= b - a;
      }
    }
  };

  const deadline = (c: Case): number | null => {
    let day = days.of(c.acceptedAt);
    for (let left = c.limitDays; left > 0; ) {
      day = days.next(day);
      if (days.isWorkday(day)) left--;
    }
    let at = days.midnight(day) + 17 * HOUR;
    for (const p of c.pauses) {
      const from = Math.max(p.from, c.acceptedAt);
      if (from >= at) break;
      if (p.to === null) return null;
      if (p.to > from) at = addWorkingMs(at, workingMs(from, p.to));
    }
    return at;
  };

  const light = (deadlineAt: number, now: number): Light => {
    if (now > deadlineAt) return 'red';
    const left = workingMs(now, deadlineAt) / MINUTE;
    if (left <= SETTINGS.yellowBeforeMinutes) return 'yellow';
    return left <= SETTINGS.yellowBeforeMinutes + SETTINGS.reminderBeforeYellowMinutes ? 'reminder' : 'green';
  };

  return { deadline, light };
}

// ---- Runs ----

interface Implementation {
  deadline(c: Case): number | null;
  light(deadlineAt: number, now: number): Light;
}

const calendar = new WorkingCalendar();
const cases = makeCases(CASES);
const fast: Implementation = {
  deadline: (c) =>
    deadlineFor({ calendar, hours: HOURS, acceptedAt: c.acceptedAt, limitDays: c.limitDays, pauses: c.pauses })?.at ?? null,
  light: (deadlineAt, now) => lightAt(calendar, HOURS, deadlineAt, now, SETTINGS),
};
const loops: [string, Implementation][] = [
  ['day-by-day loop, day numbers', naive(numberDays(calendar))],
  ['day-by-day loop, date strings', naive(stringDays(calendar))],
];

// Agreement first: a fast wrong answer is worth nothing.
const deadlines = new Float64Array(cases.length);
for (let i = 0; i < cases.length; i++) {
  const c = cases[i] as Case;
  const d = fast.deadline(c);
  if (d === null) throw new Error('unexpected open pause');
  deadlines[i] = d;
  for (const [name, loop] of loops) {
    if (i % 50 !== 0) break;
    if (loop.deadline(c) !== d) throw new Error(`${name}: deadline differs on case ${i}`);
    if (loop.light(d, c.now) !== fast.light(d, c.now)) throw new Error(`${name}: light differs on case ${i}`);
  }
}

// Cases per second over `sample`, best of `rounds` after a warm-up round on a slice (JIT, date-string
// cache); the checksum keeps the work from being optimised away.
function throughput<T>(sample: readonly T[], rounds: number, run: (items: readonly T[]) => number): number {
  run(sample.slice(0, 20_000));
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    if (Number.isNaN(run(sample))) throw new Error('NaN checksum');
    best = Math.max(best, sample.length / ((performance.now() - start) / 1000));
  }
  return best;
}

const indices = cases.map((_, i) => i);
function measure(impl: Implementation, rounds: number): { deadline: number; light: number } {
  return {
    deadline: throughput(cases, rounds, (items) => {
      let sum = 0;
      for (const c of items) sum += impl.deadline(c) ?? 0;
      return sum;
    }),
    light: throughput(indices, rounds, (items) => {
      let greens = 0;
      for (const i of items) if (impl.light(deadlines[i] ?? 0, (cases[i] as Case).now) === 'green') greens++;
      return greens;
    }),
  };
}

// The string loop takes about a minute per million cases: one round.
const results: [string, { deadline: number; light: number }][] = [
  ['prefix sums (src/calendar)', measure(fast, 3)],
  ...loops.map(([name, impl], i): [string, { deadline: number; light: number }] => [name, measure(impl, i === 0 ? 3 : 1)]),
];

const base = results[0]?.[1] ?? { deadline: 1, light: 1 };
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const both = (r: { deadline: number; light: number }) => 1 / (1 / r.deadline + 1 / r.light);
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`${fmt(cases.length)} cases; ${cpu}, ${os.cpus().length} cores, Node ${process.version}, one thread\n`);
console.log('| implementation | deadlines/s | lights/s | deadline + light/s | prefix sums are faster by |');
console.log('|---|---:|---:|---:|---:|');
for (const [name, r] of results) {
  const speedUp = r === base ? '—' : `${(base.deadline / r.deadline).toFixed(1)}× / ${(base.light / r.light).toFixed(1)}× / ${(both(base) / both(r)).toFixed(1)}×`;
  console.log(`| ${name} | ${fmt(r.deadline)} | ${fmt(r.light)} | ${fmt(both(r))} | ${speedUp} |`);
}

// The loop's cost grows with the limit and the pauses; the prefix sums' does not.
const dayLoop = loops[0]?.[1];
if (dayLoop) {
  console.log('\n| limit (working days, no pause) | prefix sums deadlines/s | day-number loop deadlines/s | faster by |');
  console.log('|---:|---:|---:|---:|');
  for (const limitDays of [1, 5, 20, 60, 250]) {
    const sample = cases.slice(0, 200_000).map((c): Case => ({ acceptedAt: c.acceptedAt, limitDays, pauses: [], now: c.now }));
    const rate = (impl: Implementation) =>
      throughput(sample, 3, (items) => {
        let sum = 0;
        for (const c of items) sum += impl.deadline(c) ?? 0;
        return sum;
      });
    const f = rate(fast);
    const l = rate(dayLoop);
    console.log(`| ${limitDays} | ${fmt(f)} | ${fmt(l)} | ${(f / l).toFixed(1)}× |`);
  }
}
