import { describe, expect, it } from 'vitest';
import { checkAttachment, contentDisposition, safeFilename } from './attachments.js';

const bytes = (...b: number[]) => new Uint8Array([...b, ...new Array(16).fill(0)]);
const PDF = new TextEncoder().encode('%PDF-1.7\n%%EOF');
const DOCX = new TextEncoder().encode('PK\u0003\u0004....[Content_Types].xml....word/document.xml');

describe('attachment checks', () => {
  it('accepts PDF, images and Office files whose bytes match their extension', () => {
    expect(checkAttachment('申请表.pdf', PDF)).toEqual({ ok: true, filename: '申请表.pdf', mimeType: 'application/pdf' });
    expect(checkAttachment('样表.PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toMatchObject({ ok: true, mimeType: 'image/png' });
    expect(checkAttachment('照片.jpg', bytes(0xff, 0xd8, 0xff, 0xe0))).toMatchObject({ ok: true, mimeType: 'image/jpeg' });
    expect(checkAttachment('表格.doc', bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1))).toMatchObject({ ok: true, mimeType: 'application/msword' });
    expect(checkAttachment('表格.docx', DOCX)).toMatchObject({ ok: true });
  });

  it('refuses a file whose bytes are another format than its name says', () => {
    expect(checkAttachment('表格.pdf', bytes(0xff, 0xd8, 0xff))).toEqual({ ok: false, reason: '文件内容与扩展名 .pdf 不符' });
    expect(checkAttachment('表格.xlsx', DOCX)).toMatchObject({ ok: false });
    expect(checkAttachment('page.html', PDF)).toMatchObject({ ok: false, reason: expect.stringContaining('只能上传') });
    expect(checkAttachment('noext', PDF)).toMatchObject({ ok: false });
  });

  it('refuses empty and oversized files', () => {
    expect(checkAttachment('a.pdf', new Uint8Array())).toEqual({ ok: false, reason: '文件为空' });
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(PDF);
    expect(checkAttachment('a.pdf', big)).toEqual({ ok: false, reason: '文件不能超过 10 MB' });
  });

  it('keeps only the base name, without characters that break headers or paths', () => {
    expect(safeFilename('C:\\Users\\王芳\\桌面\\申请"表".pdf')).toBe('申请表.pdf');
    expect(safeFilename('../../etc/passwd')).toBe('passwd');
  });

  it('sends Chinese file names in a header every browser reads', () => {
    expect(contentDisposition('申请表.pdf', false)).toBe(`attachment; filename="___.pdf"; filename*=UTF-8''%E7%94%B3%E8%AF%B7%E8%A1%A8.pdf`);
  });
});
