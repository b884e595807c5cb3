// Attachment checks, pure. The type is read from the file's own bytes and must agree with its name's
// extension: a browser's Content-Type header is whatever the sender says, and a download served with a
// wrong type is how a hostile upload turns into a page.

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export const ATTACHMENT_TYPES = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
type Extension = keyof typeof ATTACHMENT_TYPES;

const startsWith = (bytes: Uint8Array, signature: number[]) => signature.every((b, i) => bytes[i] === b);
const containsAscii = (bytes: Uint8Array, text: string) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(text, 0, 'latin1');

/** The extensions whose format these bytes are in. */
function formatsOf(bytes: Uint8Array): Extension[] {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return ['pdf'];
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return ['png'];
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return ['jpg', 'jpeg'];
  // Office 97-2003 (OLE compound file): .doc and .xls share the container.
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return ['doc', 'xls'];
  // Office Open XML is a zip whose part names sit in clear in the local headers.
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) && containsAscii(bytes, '[Content_Types].xml')) {
    if (containsAscii(bytes, 'word/')) return ['docx'];
    if (containsAscii(bytes, 'xl/')) return ['xlsx'];
  }
  return [];
}

/** A file name safe to store and to send back: no folders, control characters or quotes. */
export function safeFilename(name: string): string {
  const base = name.normalize('NFC').split(/[\\/]/).pop() ?? '';
  return base.replace(/[\u0000-\u001f\u007f"<>:*?|]/g, '').replace(/\s+/g, ' ').trim().slice(-120);
}

export type FileCheck = { ok: true; filename: string; mimeType: string } | { ok: false; reason: string };

export function checkAttachment(filename: string, bytes: Uint8Array): FileCheck {
  const name = safeFilename(filename);
  if (!name) return { ok: false, reason: '请提供文件名' };
  if (bytes.byteLength === 0) return { ok: false, reason: '文件为空' };
  if (bytes.byteLength > MAX_ATTACHMENT_BYTES) return { ok: false, reason: '文件不能超过 10 MB' };
  const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  if (!(ext in ATTACHMENT_TYPES)) return { ok: false, reason: '只能上传 PDF、图片（PNG、JPG）或 Word、Excel 文档' };
  const formats = formatsOf(bytes);
  if (!formats.includes(ext as Extension)) return { ok: false, reason: `文件内容与扩展名 .${ext} 不符` };
  return { ok: true, filename: name, mimeType: ATTACHMENT_TYPES[ext as Extension] };
}

/** Content-Disposition for a Chinese file name: an ASCII fallback and the UTF-8 name (RFC 6266). */
export function contentDisposition(filename: string, inline: boolean): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
