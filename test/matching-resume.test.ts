import { afterAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/server.ts';
import { runMatchingBatch } from '../src/missing/matching.ts';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from './helpers.ts';
import { foundRecordBody, missingReportBody } from './fixtures.ts';

/**
 * Issue 14, "what to build" 4: the matching queue resumes where it stopped. Records queued by one
 * server, a batch done, a batch cut off before its commit (a crash), the server stopped; a new server
 * over the same database finishes the queue, and every pair is proposed once.
 */
let server: TestServer;
afterAll(() => server.close());

describe('the matching queue after a restart', () => {
  it('resumes where it stopped: nothing lost, nothing proposed twice', async () => {
    server = await startTestServer({ matchingWorker: false });
    const institution = await makeInstitution(server.db);
    const officer = await ApiClient.forSession(server, (await makeUser(server.db, institution.id, 'search_officer')).email);
    const surnames = ['Quetzalcoatlán', 'Xochimilcoa', 'Tlapalería'];
    const reports: string[] = [];
    for (const surname of surnames) {
      const report = await officer.post('/api/v1/missing/reports', missingReportBody({ surname1: surname }));
      expect(report.status).toBe(201);
      reports.push(report.body.report.id);
      expect((await officer.post('/api/v1/missing/found', foundRecordBody({ surname1: surname }))).status).toBe(201);
    }
    const queued = async () => Number((await server.db.selectFrom('missing_match_queue').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await queued()).toBe(6);

    // One batch done; the next one dies before its commit, like a process killed mid-batch.
    expect((await runMatchingBatch(server.appDb, { batchSize: 2 })).processed).toBe(2);
    await expect(runMatchingBatch(server.appDb, { batchSize: 2, beforeCommit: () => { throw new Error('killed'); } })).rejects.toThrow('killed');
    expect(await queued()).toBe(4);
    await server.app.close();

    // A new server on the same database, with its worker.
    const restarted = await createServer({ db: server.appDb, cipher: server.cipher, config: { ...server.config, matchingWorker: true } }, { logger: false });
    await restarted.ready();
    try {
      for (let i = 0; i < 200 && (await queued()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await queued()).toBe(0);
      for (const reportId of reports) {
        const pairs = await server.db.selectFrom('match_candidates').select(['found_id']).where('report_id', '=', reportId).execute();
        expect(pairs.length).toBe(1);
      }
    } finally {
      await restarted.close();
    }
  });
});
