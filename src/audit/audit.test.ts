import { describe, expect, it } from 'vitest';
import { redact } from './audit.js';

describe('audit redaction', () => {
  it('hides secrets and masks ID and phone numbers wherever they sit', () => {
    expect(
      redact({
        username: 'wang',
        passwordHash: 'scrypt$...',
        applicant: { idNumber: '11010519491231002X', phone: '13812345678', note: '电话13812345678' },
      }),
    ).toEqual({
      username: 'wang',
      passwordHash: '[已隐藏]',
      applicant: { idNumber: '110105********002X', phone: '138****5678', note: '电话138****5678' },
    });
  });
});
