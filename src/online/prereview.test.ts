import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import { formatInstant, fromLocal } from '../calendar/zone.js';
import { reviewDeadline, reviewLight, selfCheck, type CheckFacts } from './prereview.js';
import { checkUpload, MAX_UPLOAD_BYTES } from './uploads.js';

const calendar = new WorkingCalendar();
const hours = { workday: [['09:00', '12:00'], ['13:00', '17:00']] as [string, string][], weekend: [], ticketCutoffMinutes: 30 };
const zone = 'Asia/Shanghai';

describe('the 5-working-day pre-review limit (行政许可法 第32条)', () => {
  it('ends at the close of the fifth working day after receipt, skipping the weekend', () => {
    const thursday = fromLocal('2025-11-06', 20 * 60); // after hours on a Thursday
    expect(formatInstant(reviewDeadline(calendar, hours, thursday, zone).at)).toBe('2025-11-13T17:00:00+08:00');
  });

  it('skips the National Day holiday and counts its make-up Saturday', () => {
    const due = reviewDeadline(calendar, hours, fromLocal('2025-09-30', 10 * 60), zone);
    // 1-8 October are holidays; Saturday 11 October is a make-up working day.
    expect(due.date).toBe('2025-10-14');
  });

  it('turns yellow on the last afternoon and red once the limit has passed', () => {
    const due = reviewDeadline(calendar, hours, fromLocal('2025-11-03', 10 * 60), zone).at;
    expect(reviewLight(calendar, hours, due, fromLocal('2025-11-04', 10 * 60), zone)).toBe('green');
    expect(reviewLight(calendar, hours, due, fromLocal('2025-11-10', 16 * 60), zone)).toBe('yellow');
    expect(reviewLight(calendar, hours, due, fromLocal('2025-11-10', 17 * 60 + 1), zone)).toBe('red');
  });
});

describe('the self-check before submission', () => {
  const facts = (over: Partial<CheckFacts> = {}): CheckFacts => ({
    profileComplete: true,
    materials: [
      { id: 'form', name: '申请表', required: true, condition: '' },
      { id: 'proxy', name: '授权委托书', required: true, condition: '委托他人办理的' },
      { id: 'photo', name: '照片', required: false, condition: '' },
    ],
    notApplicable: [],
    uploaded: new Set(),
    draft: { finish: 'online', agent: null, deliveryMethod: 'pickup', deliveryAddress: null },
    ...over,
  });

  it('lists everything missing at once, in words the applicant understands', () => {
    const r = selfCheck(facts({ profileComplete: false, draft: { finish: 'agent', agent: null, deliveryMethod: 'post', deliveryAddress: null } }));
    expect(r.ready).toBe(false);
    expect(r.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('实名信息'),
      '请上传“申请表”',
      '请上传“授权委托书”',
      '请填写代办员信息和授权委托说明',
      '请填写邮寄地址',
    ]);
  });

  it('lets a conditional material be marked not applicable, and optional ones be left out', () => {
    expect(selfCheck(facts({ uploaded: new Set(['form']), notApplicable: ['proxy'] }))).toEqual({ ready: true, problems: [] });
  });

  it('asks for a re-upload the window named in its correction request', () => {
    const r = selfCheck(facts({ uploaded: new Set(['form', 'proxy']), toReupload: ['form'], reuploaded: new Set() }));
    expect(r.problems).toEqual([{ field: 'materials.form', message: '请按补正要求重新上传“申请表”' }]);
  });
});

describe('what may be uploaded', () => {
  const pdf = Buffer.from('%PDF-1.7\n');
  it('takes PDF and images by their bytes', () => {
    expect(checkUpload('scan.pdf', pdf)).toMatchObject({ ok: true, mimeType: 'application/pdf' });
    expect(checkUpload('photo.JPG', Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toMatchObject({ ok: true, mimeType: 'image/jpeg' });
  });
  it('refuses other types, content that lies about its name, and files over 5 MB', () => {
    expect(checkUpload('form.docx', pdf)).toEqual({ ok: false, reason: '只能上传 PDF 或图片（PNG、JPG）' });
    expect(checkUpload('photo.png', pdf)).toEqual({ ok: false, reason: '文件内容与扩展名 .png 不符' });
    expect(checkUpload('big.pdf', Buffer.concat([pdf, Buffer.alloc(MAX_UPLOAD_BYTES)]))).toMatchObject({ ok: false, reason: expect.stringContaining('5 MB') });
  });
});
