import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, randomPassword, verifyPassword } from './passwords.js';

describe('staff passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('Window2025');
    expect(hash).not.toContain('Window2025');
    expect(await verifyPassword('Window2025', hash)).toBe(true);
    expect(await verifyPassword('window2025', hash)).toBe(false);
  });

  it('salts each hash so equal passwords do not look equal', async () => {
    expect(await hashPassword('Window2025')).not.toBe(await hashPassword('Window2025'));
  });

  it('says what a weak password lacks', () => {
    expect(passwordProblem('abc12')).toBe('密码至少 8 位');
    expect(passwordProblem('abcdefgh')).toBe('密码须同时包含字母和数字');
    expect(passwordProblem('abcdefg1')).toBeNull();
    expect(passwordProblem(randomPassword())).toBeNull();
  });
});
