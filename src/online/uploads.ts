// What an applicant may upload: PDF and images only, recognised by their bytes (the catalogue's check,
// which also makes the name agree with the content), and no larger than a phone photo of a document.
import { checkAttachment, type FileCheck } from '../catalog/attachments.js';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
export const TYPE_MESSAGE = '只能上传 PDF 或图片（PNG、JPG）';
export const SIZE_MESSAGE = '单个文件不能超过 5 MB，请压缩或分页后上传';

export function checkUpload(filename: string, bytes: Uint8Array): FileCheck {
  if (bytes.byteLength > MAX_UPLOAD_BYTES) return { ok: false, reason: SIZE_MESSAGE };
  const ext = filename.includes('.') ? filename.split('.').pop()!.toLowerCase() : '';
  if (!['pdf', 'png', 'jpg', 'jpeg'].includes(ext)) return { ok: false, reason: TYPE_MESSAGE };
  // The catalogue's check reads the bytes: a renamed .exe or a Word file called .pdf is refused there.
  return checkAttachment(filename, bytes);
}
