import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { updateSettings } from './settings.service.ts';
import { baseFields, complaintForm, postForm, readReceiptPage } from './testing/fixtures.ts';

/**
 * Issue 14, failure 7: anyone who knew a folio could send 10 wrong receipts and keep its owner out for
 * an hour, again every hour. Now wrong receipts only delay the folio, by growing delays capped low
 * (AMPARO_FOLIO_DELAY_MAX_S, 2 s here so that the test waits for real), kept in PostgreSQL.
 */
const CAP_S = 2;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ folioDelayMaxS: CAP_S });
  const unit = await makeInstitution(server.db, { name: 'Órgano Interno de Control' });
  await updateSettings(server.db, null, { default_unit: unit.id });
  await makeUser(server.db, unit.id, 'complaint_handler');
});
afterAll(async () => server.close());

async function submit() {
  const response = await postForm(server.baseUrl, '/quejas', complaintForm(baseFields({ narrative: 'Me quitaron mis documentos en el retén.' })));
  expect(response.status).toBe(200);
  return readReceiptPage(response.text);
}

const follow = (folio: string, receipt: string) => postForm(server.baseUrl, '/quejas/seguimiento', new URLSearchParams({ folio, receipt }));

/**
 * Fifteen wrong receipts, each counted: before each one the guesser's wait is skipped by moving the
 * stored time forward (the test's clock). Thirty failures an hour is the limit per source, so a test
 * sends at most thirty.
 */
async function guess(folio: string, count = 15): Promise<number[]> {
  const statuses: number[] = [];
  for (let wrong = 0; wrong < count; wrong++) {
    if (wrong > 0) await server.db.updateTable('attempt_throttle').set({ next_attempt_at: new Date(Date.now() - 1) }).where('scope', '=', 'folio').execute();
    statuses.push((await follow(folio, String(2000000000000000 + wrong))).status);
  }
  // The delay the fifteenth failure decided is left to run.
  return statuses;
}

/** The owner's right receipt: she waits what the server names, at most the cap, and gets in. */
async function ownerGetsIn(folio: string, receipt: string): Promise<{ waited: number; text: string }> {
  let waited = 0;
  for (;;) {
    const answer = await follow(folio, receipt);
    if (answer.status === 200) return { waited, text: answer.text };
    expect(answer.status).toBe(429);
    expect(answer.text).toMatch(/Demasiados intentos con este folio\. Por seguridad espere \d+ segundos/);
    const seconds = Number(answer.headers.get('retry-after'));
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(CAP_S);
    waited += seconds;
    expect(waited).toBeLessThanOrEqual(CAP_S);
    await sleep(seconds * 1000);
  }
}

describe('wrong receipts for a folio', () => {
  it('delay the owner by at most the cap, never lock her out; an unknown folio is answered the same', async () => {
    const { folio, receipt } = await submit();
    const statuses = await guess(folio);
    expect(statuses).toEqual([...Array(15).fill(403)]);
    // Right after the guesses the folio is held back: the owner waits the delay, then reads her complaint.
    const held = await follow(folio, receipt);
    expect(held.status).toBe(429);
    const owner = await ownerGetsIn(folio, receipt);
    expect(owner.text).toContain(`Queja ${folio}`);
    // A folio that does not exist gets the same treatment (nothing tells which folios exist); ten
    // guesses here, as one source may fail thirty times an hour.
    expect(await guess('Q-2019-ZZZZ-ZZZZ', 10)).toEqual(statuses.slice(0, 10));
    const unknown = await follow('Q-2019-ZZZZ-ZZZZ', receipt);
    expect(unknown.status).toBe(429);
    expect(unknown.text.replace('Q-2019-ZZZZ-ZZZZ', 'F').replace(/\d+ segundos/, 'n segundos')).toBe(held.text.replace(folio, 'F').replace(/\d+ segundos/, 'n segundos'));
    // What is stored is a hash of the folio, nothing about who guessed.
    const rows = await server.db.selectFrom('attempt_throttle').selectAll().where('scope', '=', 'folio').execute();
    expect(JSON.stringify(rows)).not.toContain(folio);
    expect(JSON.stringify(rows)).not.toContain('127.0.0.1');
  });

  it('keep their delay across a restart of the server, and the owner still gets in within the cap', async () => {
    // The guesses of another test from this same address count against its hourly per-source limit
    // (kept in memory): start from a fresh process so that all fifteen reach the folio's throttle.
    await server.restart();
    const { folio, receipt } = await submit();
    await guess(folio);
    const before = await follow(folio, receipt);
    expect(before.status).toBe(429);
    const stored = await server.db.selectFrom('attempt_throttle').select(['failures', 'next_attempt_at']).where('scope', '=', 'folio').orderBy('updated_at', 'desc').executeTakeFirstOrThrow();
    expect(stored.failures).toBe(15);
    await server.restart();
    // A restarted server starts with empty in-memory counters, but the folio's delay is in PostgreSQL.
    const after = await server.db.selectFrom('attempt_throttle').select(['failures', 'next_attempt_at']).where('scope', '=', 'folio').orderBy('updated_at', 'desc').executeTakeFirstOrThrow();
    expect(after).toEqual(stored);
    if (after.next_attempt_at.getTime() > Date.now() + 300) expect((await follow(folio, receipt)).status).toBe(429);
    await ownerGetsIn(folio, receipt);
    // Her success clears the folio's count: the next guesser starts from the beginning.
    expect(await server.db.selectFrom('attempt_throttle').select('failures').where('failures', '=', 15).execute()).toHaveLength(0);
  });
});
