import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeInstitution, makeUser, startTestServer, type TestServer } from '../../test/helpers.ts';
import { publicLimits } from '../platform/limits/anonymous.ts';
import { ACCEPTED_UPLOADS } from '../platform/files/uploads.ts';
import { escapeHtml } from '../platform/html.ts';
import { areaStrings, fill, locales } from '../public/i18n.ts';
import { updateSettings } from './settings.service.ts';
import { baseFields, complaintForm, jpegWithExif, oggBytes, pdfBytes, pngWithText, postForm } from './testing/fixtures.ts';

/**
 * The complaint form's file fields promise what the server enforces (issue 13): as many inputs as
 * files it takes, the size it says, and, in `accept` and in words, exactly the types the content check
 * lets in. A server with a 2 MB limit, so that "too large" is cheap to reach.
 */
const MAX_MB = 2;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ matchingWorker: false, attachmentMaxBytes: MAX_MB * 1024 * 1024 });
  const unit = await makeInstitution(server.db, { name: 'Unidad que recibe (archivos)' });
  await makeUser(server.db, unit.id, 'complaint_handler');
  await updateSettings(server.db, null, { default_unit: unit.id });
}, 60_000);
afterAll(async () => server?.close());

/** One file of each type the content check recognises, named and labelled as a phone would. */
const samples = [
  { field: '', name: 'foto.jpg', type: 'image/jpeg', bytes: jpegWithExif() },
  { field: '', name: 'captura.png', type: 'image/png', bytes: pngWithText() },
  { field: '', name: 'acta.pdf', type: 'application/pdf', bytes: pdfBytes() },
  { field: '', name: 'nota.mp3', type: 'audio/mpeg', bytes: Buffer.concat([Buffer.from('ID3', 'latin1'), Buffer.alloc(60, 1)]) },
  { field: '', name: 'nota.opus', type: 'audio/ogg', bytes: oggBytes() },
  { field: '', name: 'nota.wav', type: 'audio/wav', bytes: Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'), Buffer.alloc(40, 2)]) },
  { field: '', name: 'nota.m4a', type: 'audio/mp4', bytes: Buffer.concat([Buffer.from('\x00\x00\x00\x20ftypM4A ', 'latin1'), Buffer.alloc(40, 3)]) },
  { field: '', name: 'nota.amr', type: 'audio/amr', bytes: Buffer.concat([Buffer.from('#!AMR\n', 'latin1'), Buffer.alloc(40, 4)]) },
  { field: '', name: 'nota.webm', type: 'audio/webm', bytes: Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(40, 5)]) },
];
const asFields = (files: typeof samples) => files.map((f, i) => ({ ...f, field: `file${i + 1}` }));

describe('the complaint form’s file fields', () => {
  it('offers as many inputs as files it takes, and names and accepts exactly the types it keeps', async () => {
    for (const lang of ['es', 'fr'] as const) {
      const page = await (await fetch(`${server.baseUrl}/quejas?lang=${lang}`)).text();
      const inputs = [...page.matchAll(/<input type="file" id="file\d+" name="file\d+" accept="([^"]+)"/g)];
      expect(inputs).toHaveLength(publicLimits.filesPerSubmission);
      for (const input of inputs) expect(input[1]).toBe(ACCEPTED_UPLOADS.accept);
      expect(page).toContain(escapeHtml(fill(locales[lang].complaints.filesHint, { files: publicLimits.filesPerSubmission, max: MAX_MB, audio: ACCEPTED_UPLOADS.audioNames })));
    }
    // Every type `accept` offers is one the content check recognises, and every sample type is offered.
    const offered = ACCEPTED_UPLOADS.accept.split(',');
    for (const sample of samples) {
      expect(offered).toContain(sample.type);
      expect(offered).toContain(`.${sample.name.split('.').pop()}`);
    }
    expect(offered.filter((t) => !t.startsWith('.')).sort()).toEqual([...new Set(samples.map((s) => s.type))].sort());
    for (const name of ['MP3', 'OGG/Opus', 'WAV', 'M4A', 'AMR', 'WebM']) expect(ACCEPTED_UPLOADS.audioNames).toContain(name);
  });

  it('keeps a file of every type it names', async () => {
    for (let i = 0; i < samples.length; i += publicLimits.filesPerSubmission) {
      const batch = asFields(samples.slice(i, i + publicLimits.filesPerSubmission));
      const sent = await postForm(server.baseUrl, '/quejas', complaintForm(baseFields(), batch));
      expect(sent.status, sent.text.slice(0, 300)).toBe(200);
      for (const file of batch) expect(sent.text).toContain(file.name);
    }
  });

  it('refuses more files than it offers, a file over the size it states, and a type it does not name, saying so', async () => {
    const es = areaStrings('complaints', 'es');
    const tooMany = await postForm(server.baseUrl, '/quejas', complaintForm(baseFields(), Array.from({ length: publicLimits.filesPerSubmission + 1 }, (_, i) => ({ field: i < publicLimits.filesPerSubmission ? `file${i + 1}` : 'files', name: `acta${i}.pdf`, type: 'application/pdf', bytes: pdfBytes() }))));
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toContain(escapeHtml(fill(es.fileTooMany, { files: publicLimits.filesPerSubmission })));

    const big = Buffer.concat([pdfBytes(), Buffer.alloc(MAX_MB * 1024 * 1024, 32)]);
    const tooLarge = await postForm(server.baseUrl, '/quejas', complaintForm(baseFields(), [{ field: 'file1', name: 'grande.pdf', type: 'application/pdf', bytes: big }]));
    expect([400, 413]).toContain(tooLarge.status);
    expect(tooLarge.text).toContain(`${MAX_MB} MB`);

    // Just under the stated size is kept.
    const fits = await postForm(server.baseUrl, '/quejas', complaintForm(baseFields(), [{ field: 'file1', name: 'justo.pdf', type: 'application/pdf', bytes: Buffer.concat([pdfBytes(), Buffer.alloc(MAX_MB * 1024 * 1024 - 100, 32)]) }]));
    expect(fits.status).toBe(200);

    const flac = await postForm(server.baseUrl, '/quejas', complaintForm(baseFields(), [{ field: 'file1', name: 'nota.flac', type: 'audio/flac', bytes: Buffer.concat([Buffer.from('fLaC', 'latin1'), Buffer.alloc(40, 6)]) }]));
    expect(flac.status).toBe(415);
    expect(flac.text).toContain(escapeHtml(fill(es.fileNotAllowed, { file: 'nota.flac', audio: ACCEPTED_UPLOADS.audioNames })));
  });
});
