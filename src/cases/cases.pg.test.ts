import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { secondNode, type SecondNode } from '../testing/second-node.js';
import { TEST_PASSWORD, createTestApp, type TestApp } from '../testing/test-app.js';
import { PERSON } from './test-helpers.js';

// Two app nodes on one PostgreSQL database, each with its own connection pool, receiving at once.
describe('case numbers across two app nodes', () => {
  let t: TestApp;
  let second: SecondNode;
  let nodeB: FastifyInstance;

  beforeAll(async () => {
    t = await createTestApp();
    second = await secondNode(t);
    nodeB = second.app;
    await nodeB.ready();
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  it('never issues the same case number twice', async () => {
    const nodes = [t.app, nodeB];
    const tokens = await Promise.all(
      nodes.map(async (node) => (await node.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'staff', password: TEST_PASSWORD } })).json().token as string),
    );
    const created = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        nodes[i % 2]!.inject({
          method: 'POST',
          url: '/api/v1/cases',
          headers: { authorization: `Bearer ${tokens[i % 2]}` },
          payload: { serviceCode: 'T-001', applicant: PERSON, materials: [] },
        }),
      ),
    );
    expect(created.map((r) => r.statusCode)).toEqual(Array(60).fill(201));
    const numbers = created.map((r) => r.json().caseNumber as string);
    expect(new Set(numbers).size).toBe(60);
    expect([...numbers].sort()).toEqual(Array.from({ length: 60 }, (_, i) => `TEST-20250930-${String(i + 1).padStart(5, '0')}`));
  });
});
