import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PARALLEL_QUERY_WARNING } from './parallel-queries.js';

// In a child process: pg warns once per process, and warning here would blind the guard for later files.
const script = `
import pg from 'pg';
const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
await client.connect();
await Promise.all([client.query('select 1'), client.query('select 2'), client.query('select 3')]);
await client.end();
`;

describe('the guard against parallel queries', () => {
  it('matches what this pg prints when a client is sent queries at once', async () => {
    const { stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd() });
    expect(stderr).toContain(PARALLEL_QUERY_WARNING);
  });
});
