import http from 'node:http';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { updateSettings } from './settings.service.ts';
import { sendMessage } from './handling.service.ts';
import { publicLimits } from '../platform/limits/anonymous.ts';
import { baseFields, complaintForm, jpegWithExif, readReceiptPage, tokenOf } from './testing/fixtures.ts';

const AGENT = 'AmparoProbe/7.7 (Linux; Android 4.4; SM-J100) FingerprintMarker';

let server: TestServer;
let unit: { id: string };

beforeAll(async () => {
  server = await startTestServer();
  unit = await makeInstitution(server.db, { code: 'OICA', name: 'Órgano Interno de Control' });
  await updateSettings(server.db, null, { default_unit: unit.id });
});
afterAll(async () => server.close());

/** A POST from a chosen loopback address (127.0.0.0/8 all reach the server), with a recognisable user agent. */
async function postFrom(localAddress: string, path: string, body: FormData | URLSearchParams): Promise<{ status: number; text: string }> {
  const encoded = new Response(body);
  const bytes = Buffer.from(await encoded.arrayBuffer());
  const url = new URL(server.baseUrl + path);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'POST', localAddress, headers: { 'content-type': encoded.headers.get('content-type')!, 'content-length': bytes.length, 'user-agent': AGENT, 'x-forwarded-for': '203.0.113.77' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    request.on('error', reject);
    request.end(bytes);
  });
}

describe('anonymity of complainants', () => {
  it('stores and logs no address, forwarded address or user agent of a complainant anywhere', async () => {
    const sent = await postFrom('127.0.0.9', '/quejas?lang=es', complaintForm(baseFields({ contact_email: 'persona@example.org' }), [{ field: 'file1', name: 'foto.jpg', type: 'image/jpeg', bytes: jpegWithExif() }]));
    expect(sent.status).toBe(200);
    const { folio, receipt, token } = readReceiptPage(sent.text);
    const complaint = await server.db.selectFrom('complaints').select('id').where('folio', '=', folio).executeTakeFirstOrThrow();
    // The handler's question, through the service (no HTTP from this test's addresses for staff).
    const handler = await makeUser(server.db, unit.id, 'complaint_handler');
    await sendMessage(server.db, server.cipher, { userId: handler.id, institutionId: unit.id, role: 'complaint_handler', isPlatformAdmin: false, ip: null }, complaint.id, { body: '¿Puede dar más detalles?', request_information: true });
    const followed = await postFrom('127.0.0.9', '/quejas/seguimiento', new URLSearchParams({ folio, receipt }));
    expect(followed.status).toBe(200);
    const replied = await postFrom('127.0.0.9', '/quejas/seguimiento/responder', complaintForm({ token: tokenOf(followed.text), message: 'Más detalles.' }));
    expect(replied.status).toBe(200);
    const wrong = await postFrom('127.0.0.9', '/quejas/seguimiento', new URLSearchParams({ folio, receipt: '1234123412341234' }));
    expect(wrong.status).toBe(403);
    expect((await postFrom('127.0.0.9', '/quejas/acuse', new URLSearchParams({ token }))).status).toBe(200);

    // Every row of every table, as text: no address (client, forwarded) and no user agent.
    const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(server.db);
    expect(tables.rows.length).toBeGreaterThan(10);
    for (const { table_name } of tables.rows) {
      const hits = await sql<{ n: string }>`select count(*) as n from ${sql.table(table_name)} t where t::text like '%127.0.0.%' or t::text like '%203.0.113.77%' or t::text like '%AmparoProbe%' or t::text like '%FingerprintMarker%'`.execute(server.db);
      expect(Number(hits.rows[0]!.n), `table ${table_name}`).toBe(0);
    }
    const publicAudit = await server.db.selectFrom('audit_log').select(['action', 'actor_user_id', 'ip']).where('record_id', '=', complaint.id).execute();
    expect(publicAudit.map((a) => a.action)).toEqual(expect.arrayContaining(['complaint.received', 'complaint.complainant_message']));
    for (const entry of publicAudit.filter((a) => ['complaint.received', 'complaint.complainant_message'].includes(a.action))) expect(entry).toMatchObject({ actor_user_id: null, ip: null });

    // The logs have method, path and status: no address, agent, folio, receipt or query string.
    const logs = server.logs.join('');
    expect(logs).toContain('/quejas/seguimiento');
    for (const secret of ['127.0.0.9', '203.0.113.77', 'AmparoProbe', folio, receipt, 'lang=es', 'persona@example.org']) expect(logs).not.toContain(secret);
  });

  it('slows a flood from one source without turning away a person who submits once', async () => {
    const saved = publicLimits.submissionsPerSource;
    publicLimits.submissionsPerSource = 3;
    try {
      const flood = [];
      for (let i = 0; i < 5; i++) flood.push(await postFrom('127.0.0.2', '/quejas', complaintForm(baseFields({ narrative: `Envío automático número ${i}` }))));
      expect(flood.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
      expect(flood[4]!.text).toContain('Envío automático número 4'); // refused, but the text is kept in the form
      expect(flood[4]!.text).toContain('demasiadas quejas desde su conexión');
      const person = await postFrom('127.0.0.3', '/quejas', complaintForm(baseFields({ narrative: 'Una persona, una queja.' })));
      expect(person.status).toBe(200);
      expect(readReceiptPage(person.text).receipt).toMatch(/^\d{16}$/);
    } finally {
      publicLimits.submissionsPerSource = saved;
    }
  });
});
