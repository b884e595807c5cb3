/** A deadline light (cases, online applications, complaints, appeals, follow-ups): the same four everywhere. */
export type Light = 'green' | 'reminder' | 'yellow' | 'red';

/** The lights' colours, readable on white; `none` is a case whose clock is not running. */
export const LIGHT_COLORS: Record<Light | 'none', string> = {
  green: '#2e7d32',
  reminder: '#1565c0',
  yellow: '#e6a23c',
  red: '#c62828',
  none: '#9aa0a6',
};
