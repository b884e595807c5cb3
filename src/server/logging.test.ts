import { describe, expect, it } from 'vitest';
import { LOG_SERIALIZERS, maskPersonal } from './logging.js';

describe('personal numbers in log lines', () => {
  it('masks ID numbers and mobile numbers as public views do, and leaves other numbers alone', () => {
    expect(maskPersonal('/api/v1/x?id=11010519491231002X&phone=13812345678&n=20251001')).toBe(
      '/api/v1/x?id=1101**********002X&phone=138****5678&n=20251001',
    );
    expect(maskPersonal('case SUIXIAN-20261125-00001 ticket A001')).toBe('case SUIXIAN-20261125-00001 ticket A001');
  });

  it('masks them in a database error logged by the error handler', () => {
    const err = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505', detail: 'Key (phone)=(13812345678) already exists.' });
    expect(LOG_SERIALIZERS.err(err)).toMatchObject({ code: '23505', detail: 'Key (phone)=(138****5678) already exists.' });
  });
});
