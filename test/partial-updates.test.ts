import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, makeInstitution, makeUser, startTestServer, type TestServer } from './helpers.ts';
import { personBody } from './fixtures.ts';
import { shelterBody } from '../src/directory/testing/samples.ts';

/**
 * A partial update touches only what was sent, on every PATCH route (issue 18: a correction of sex
 * emptied a person's nationalities, languages and documents). The routes and their fields come from
 * the OpenAPI document, so a new PATCH route or a new field fails here until it is covered: each
 * field is sent alone (or with the companions it cannot go without), and every other field of the
 * record, encrypted ones and arrays included, must read back unchanged.
 */
type Target = {
  /** Creates a fresh record with every field filled; returns its id. */
  create: () => Promise<string>;
  /** The whole record as its readers see it (decrypted). */
  read: (id: string) => Promise<Record<string, unknown>>;
  patch: (id: string, body: Record<string, unknown>) => Promise<{ status: number; text: string }>;
  /** A value different from the created one, for every field of the body. */
  samples: Record<string, unknown>;
  /** Fields that are only valid together with others. */
  companions?: Record<string, Record<string, unknown>>;
  /** Parts of the record that every write changes (timestamps, timelines). */
  volatile: string[];
};

let server: TestServer;
const targets = new Map<string, Target>();
let spec: { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }>> };

beforeAll(async () => {
  server = await startTestServer();
  const institution = await makeInstitution(server.db, { state_code: '07' });
  const supervisorUser = await makeUser(server.db, institution.id, 'supervisor');
  const caseworkerUser = await makeUser(server.db, institution.id, 'caseworker');
  const supervisor = await ApiClient.forSession(server, supervisorUser.email);
  const adminUser = await makeUser(server.db, institution.id, 'administrator');
  await server.db.updateTable('users').set({ is_platform_admin: true }).where('id', '=', adminUser.id).execute();
  const platformAdmin = await ApiClient.forSession(server, adminUser.email);

  const parentInstitution = await makeInstitution(server.db, { name: 'Institución de arriba' });
  const fullPerson = personBody({
    surname2: 'Segundo',
    other_names: ['La Güera'],
    gender_identity: 'woman',
    nationalities: ['HND', 'GTM'],
    country_of_birth: 'HND',
    languages: ['spa', 'mam'],
    disabilities: ['visual'],
    vulnerabilities: ['pregnant'],
    documents: [{ type: 'passport', number: 'G1234567', issuer: 'HND' }],
    contact: { phone: '+52 962 555 0101', address: 'Albergue, Tapachula', notes: 'Llamar por la tarde' },
    location_country: 'MEX',
    location_state: '07',
    location_municipality: '07089',
  });
  const createPerson = async () => {
    const res = await supervisor.post('/api/v1/people', fullPerson);
    expect(res.status, res.text).toBe(201);
    return res.body.id as string;
  };
  targets.set('/api/v1/people/{id}', {
    create: createPerson,
    read: async (id) => (await supervisor.get(`/api/v1/people/${id}`)).body,
    patch: (id, body) => supervisor.patch(`/api/v1/people/${id}`, body),
    samples: {
      given_names: 'María José',
      surname1: 'Otero',
      surname2: null,
      other_names: ['Majo'],
      sex: 'male',
      gender_identity: 'man',
      date_of_birth: '1985-01-02',
      estimated_age: 30,
      age_estimated_on: '2026-01-10',
      nationalities: ['SLV'],
      country_of_birth: 'SLV',
      languages: ['eng'],
      disabilities: ['hearing'],
      vulnerabilities: ['separated_child'],
      documents: [{ type: 'curp', number: 'ABCD850102HDFXXX09' }],
      contact: { email: 'persona@example.org' },
      location_country: 'GTM',
      location_state: '08',
      location_municipality: '07001',
      reason: 'Corrección pedida por la persona',
    },
    companions: {
      estimated_age: { date_of_birth: null, age_estimated_on: '2026-01-10' },
      age_estimated_on: { date_of_birth: null, estimated_age: 30 },
      location_state: { location_municipality: '08019' },
    },
    volatile: ['updated_at'],
  });

  targets.set('/api/v1/cases/{id}', {
    create: async () => {
      const person = await createPerson();
      const res = await supervisor.post('/api/v1/cases', {
        programme: 'victim_assistance',
        opened_on: '2026-11-02',
        summary: 'Resumen reservado del expediente.',
        crime_types: ['trafficking'],
        rights_violations: ['discrimination'],
        assigned_to: supervisorUser.id,
        participants: [{ person_id: person, role: 'direct_victim' }],
      });
      expect(res.status, res.text).toBe(201);
      return res.body.id as string;
    },
    read: async (id) => (await supervisor.get(`/api/v1/cases/${id}`)).body,
    patch: (id, body) => supervisor.patch(`/api/v1/cases/${id}`, body),
    samples: {
      status: 'in_progress',
      closure_reason: 'services_completed',
      closed_on: '2026-11-20',
      assigned_to: caseworkerUser.id,
      summary: 'Otro resumen.',
      crime_types: ['smuggling', 'disappearance'],
      rights_violations: [],
    },
    companions: {
      closure_reason: { status: 'closed', closed_on: '2026-11-20' },
      closed_on: { status: 'closed', closure_reason: 'services_completed' },
    },
    volatile: ['updated_at', 'timeline', 'events'],
  });

  const caseWithService = async () => {
    const caseId = await targets.get('/api/v1/cases/{id}')!.create();
    const personId = (await supervisor.get(`/api/v1/cases/${caseId}`)).body.participants[0].person.id;
    const service = await supervisor.post(`/api/v1/cases/${caseId}/services`, { person_id: personId, service_type: 'legal', provided_on: '2026-11-03', provider_unit: 'Unidad Tapachula', notes: 'Asesoría inicial reservada.' });
    expect(service.status, service.text).toBe(201);
    return `${caseId}/services/${service.body.id}`;
  };
  targets.set('/api/v1/cases/{id}/services/{serviceId}', {
    create: caseWithService,
    read: async (id) => {
      const [caseId, , serviceId] = id.split('/');
      return (await supervisor.get(`/api/v1/cases/${caseId}`)).body.services.find((s: { id: string }) => s.id === serviceId);
    },
    patch: (id, body) => supervisor.patch(`/api/v1/cases/${id}`, body),
    samples: { service_type: 'medical', provided_on: '2026-11-04', provider_unit: null, notes: 'Otra nota.' },
    volatile: [],
  });

  targets.set('/api/v1/institutions/{id}', {
    create: async () => (await makeInstitution(server.db, { state_code: '09', unit_type: 'office', require_mfa: false })).id,
    read: async (id) => (await platformAdmin.get('/api/v1/institutions')).body.items.find((i: { id: string }) => i.id === id),
    patch: (id, body) => platformAdmin.patch(`/api/v1/institutions/${id}`, body),
    samples: { require_mfa: true, complaint_handlers_mfa: false, name: 'Otro nombre', type: 'consulate', unit_type: 'mobile', state_code: '30', municipality_code: '30193', parent_id: parentInstitution.id },
    volatile: [],
  });

  // A programme's point (src/resources): its coverage, staff and dates.
  targets.set('/api/v1/resources/points/{id}', {
    create: async () => {
      const res = await platformAdmin.post('/api/v1/resources/points', { name: 'Punto de contacto de la prueba', kind: 'contact_point', municipalities: ['07089', '07019'], staff: 8, staff_role: 'brigade_leader', active_from: '2026-06-01', active_to: '2026-12-31' });
      expect(res.status, res.text).toBe(201);
      return res.body.id as string;
    },
    read: async (id) => (await platformAdmin.get('/api/v1/resources/points')).body.items.find((p: { id: string }) => p.id === id),
    patch: (id, body) => platformAdmin.patch(`/api/v1/resources/points/${id}`, body),
    samples: { name: 'Otro nombre del punto', kind: 'deployment_point', municipalities: ['26043'], staff: 57, staff_role: 'officer', active_from: '2026-05-01', active_to: null, reason: 'El punto cambió de personal' },
    volatile: ['updated_at', 'states'],
  });

  // A rescue or transfer corrected (src/resources): every correction says why.
  const operationPoint = async () => {
    const res = await platformAdmin.post('/api/v1/resources/points', { name: 'Punto de despliegue de la prueba', kind: 'deployment_point', municipalities: ['26004'], staff: 20, staff_role: 'officer', active_from: '2026-01-01' });
    expect(res.status, res.text).toBe(201);
    return res.body.id as string;
  };
  const why = { reason: 'Se registró mal en campo' };
  targets.set('/api/v1/resources/operations/{id}', {
    create: async () => {
      const res = await supervisor.post('/api/v1/resources/operations', { kind: 'transfer', mode: 'road', point_id: await operationPoint(), state: '02', occurred_on: '2026-03-10', people: 40 });
      expect(res.status, res.text).toBe(201);
      return res.body.id as string;
    },
    read: async (id) => (await supervisor.get(`/api/v1/resources/operations/${id}/history`)).body.operation,
    patch: (id, body) => supervisor.patch(`/api/v1/resources/operations/${id}`, body),
    samples: { kind: 'rescue', mode: 'air', point_id: null, state: '26', occurred_on: '2026-03-11', people: 41, reason: why.reason },
    companions: { kind: { mode: null, ...why }, mode: why, point_id: why, state: why, occurred_on: why, people: why },
    volatile: ['corrections'],
  });

  // Child protection: the child's file, a measure of her plan, a verification of an adult.
  const childFile = async () => {
    const child = await supervisor.post('/api/v1/people', personBody({ given_names: 'Niña', date_of_birth: '2014-03-03' }));
    expect(child.status, child.text).toBe(201);
    const res = await supervisor.post('/api/v1/children', {
      person_id: child.body.id,
      opened_on: '2026-11-02',
      accompaniment: 'separated',
      accompanied_by: 'Un primo adulto',
      identified_at: '2026-11-02T10:00:00Z',
      identified_how: 'shelter',
      identified_state: '07',
      notified_at: '2026-11-02T16:00:00Z',
      notified_by: 'Albergue Belén',
      language: 'español',
      interpreter: 'not_needed',
      views: 'Quiere estudiar.',
      wishes_tracing: 'yes',
      wishes_reunification: 'later',
      tracing_consent: 'given',
      tracing_consent_on: '2026-11-02',
      protection_claim: 'none',
    });
    expect(res.status, res.text).toBe(201);
    return res.body.id as string;
  };
  const readChild = async (id: string) => (await supervisor.get(`/api/v1/children/${id}`)).body;
  targets.set('/api/v1/children/{id}', {
    create: childFile,
    read: readChild,
    patch: (id, body) => supervisor.patch(`/api/v1/children/${id}`, body),
    samples: {
      accompaniment: 'unaccompanied',
      accompanied_by: null,
      identified_at: '2026-11-01T09:00:00Z',
      identified_how: 'migration_authority',
      identified_state: '23',
      notified_at: '2026-11-03T09:00:00Z',
      notified_by: 'INM Tapachula',
      language: 'mam',
      interpreter: 'provided',
      views: 'Quiere volver con su abuela.',
      wishes_tracing: 'no',
      wishes_reunification: 'yes',
      tracing_consent: 'refused',
      tracing_consent_on: '2026-11-05',
      protection_claim: 'open',
      protection_claim_on: '2026-11-04',
      reason: 'Corrección tras la entrevista',
    },
    volatile: ['hours_to_notification', 'consular_notification_refused', 'tracing'],
  });
  targets.set('/api/v1/children/{id}/measures/{itemId}', {
    create: async () => {
      const caseId = await childFile();
      const res = await supervisor.post(`/api/v1/children/${caseId}/measures`, { right_affected: 'health', legal_basis: 'LGDNNA art. 50', measure_type: 'restitution', measure: 'medical_care', responsible_institution: 'Centro de Salud', responsible_person: 'Dra. López', frequency: 'monthly', due_on: '2026-11-20' });
      expect(res.status, res.text).toBe(201);
      return `${caseId}/measures/${res.body.id}`;
    },
    read: async (id) => {
      const [caseId, , measureId] = id.split('/');
      return (await readChild(caseId!)).measures.find((m: { id: string }) => m.id === measureId);
    },
    patch: (id, body) => supervisor.patch(`/api/v1/children/${id}`, body),
    samples: { due_on: '2026-12-30', executed_on: '2026-11-21', responsible_person: null, frequency: 'once' },
    volatile: ['overdue'],
  });
  targets.set('/api/v1/children/{id}/verifications/{itemId}', {
    create: async () => {
      const caseId = await childFile();
      const adult = await supervisor.post('/api/v1/people', personBody({ given_names: 'Tía', date_of_birth: '1980-03-03' }));
      const res = await supervisor.post(`/api/v1/children/${caseId}/verifications`, {
        adult_person_id: adult.body.id,
        relationship: 'aunt_uncle',
        child_interviewed_on: '2026-11-03',
        adult_interviewed_on: '2026-11-04',
        documents_checked: true,
        photo_id_checked: false,
        child_recognises_adult: true,
        adult_willing: true,
        adult_able: null,
        accounts_agree: true,
        recommendation: 'more_information',
        notes: 'Falta visita domiciliaria.',
      });
      expect(res.status, res.text).toBe(201);
      return `${caseId}/verifications/${res.body.id}`;
    },
    read: async (id) => {
      const [caseId, , verificationId] = id.split('/');
      return (await readChild(caseId!)).verifications.find((v: { id: string }) => v.id === verificationId);
    },
    patch: (id, body) => supervisor.patch(`/api/v1/children/${id}`, body),
    samples: {
      child_interviewed_on: '2026-11-05',
      adult_interviewed_on: null,
      documents_checked: false,
      photo_id_checked: true,
      child_recognises_adult: null,
      adult_willing: false,
      adult_able: true,
      accounts_agree: false,
      recommendation: 'reunify',
      notes: null,
    },
    volatile: ['complete', 'completed_at'],
  });

  const editor = await ApiClient.forSession(server, (await makeUser(server.db, institution.id, 'directory_editor')).email);
  targets.set('/api/v1/directory/services/{id}', {
    create: async () => {
      const res = await editor.post('/api/v1/directory/services', shelterBody());
      expect(res.status, res.text).toBe(201);
      return res.body.id as string;
    },
    read: async (id) => (await editor.get(`/api/v1/directory/services/${id}`)).body,
    patch: (id, body) => editor.patch(`/api/v1/directory/services/${id}`, body),
    samples: {
      name: 'Comedor San José',
      alternate_name: 'El comedor',
      description: 'Desayuno y comida.',
      url: 'https://example.org/comedor',
      email: 'comedor@example.org',
      status: 'temporarily closed',
      application_process: 'Llegue antes de las 13:00.',
      free: false,
      fees_description: 'Cuota de 10 pesos.',
      eligibility_description: 'Solo familias.',
      minimum_age: 5,
      maximum_age: 60,
      required_documents: ['CURP'],
      alert: 'Cerrado en diciembre.',
      capacity_maximum: 100,
      capacity_available: 20,
      categories: ['food'],
      languages: ['spa', 'por'],
      phones: [{ number: '+52 55 5555 0000', type: 'hotline' }],
      schedules: [{ days: ['SA'], opens_at: '10:00', closes_at: '14:00' }],
      location: { address_1: 'Av. Juárez 3', state_code: '02', municipality_code: '02004' },
    },
    // Any change of content sends the entry back to review.
    volatile: ['review_state', 'updated_at', 'capacity_updated_at'],
  });

  const recorder = await ApiClient.forSession(server, caseworkerUser.email);
  targets.set('/api/v1/outreach/events/{id}', {
    create: async () => {
      const res = await recorder.post('/api/v1/outreach/events', {
        title: 'Feria de salud',
        kind: 'fair',
        topic: 'health',
        programme: 'women_support',
        held_on: '2025-03-10',
        country: 'MEX',
        state_code: '07',
        municipality_code: '07089',
        city: 'Tapachula',
        venue: 'Parque central',
        attendance: [{ sex: 'female', age_band: '18-29', attendees: 30 }],
      });
      expect(res.status, res.text).toBe(201);
      return res.body.id as string;
    },
    read: async (id) => (await recorder.get(`/api/v1/outreach/events/${id}`)).body,
    patch: (id, body) => recorder.patch(`/api/v1/outreach/events/${id}`, body),
    samples: {
      title: 'Feria de salud corregida',
      kind: 'campaign',
      topic: 'documents',
      programme: 'consular_protection',
      held_on: '2025-03-11',
      country: 'USA',
      state_code: '08',
      municipality_code: '07001',
      city: 'Huixtla',
      venue: 'Casa de la cultura',
      attendance: [{ sex: 'male', age_band: '60+', attendees: 4 }],
    },
    companions: { country: { city: 'Phoenix', state_code: null, municipality_code: null }, state_code: { municipality_code: null } },
    volatile: ['updated_at', 'attendees_total'],
  });

  spec = (await new ApiClient(server.baseUrl).get('/api/openapi.json')).body;
});
afterAll(async () => server?.close());

const bodyFields = (path: string): string[] => Object.keys(spec.paths[path]?.patch?.requestBody?.content['application/json']?.schema.properties ?? {});

describe('partial updates', () => {
  it('covers every PATCH route and every field the OpenAPI document lists', () => {
    const patchRoutes = Object.entries(spec.paths).filter(([path, item]) => path.startsWith('/api/v1/') && item.patch).map(([path]) => path);
    expect(patchRoutes.length).toBeGreaterThan(0);
    expect(patchRoutes.filter((path) => !targets.has(path))).toEqual([]);
    for (const path of patchRoutes) {
      const fields = bodyFields(path);
      expect(fields.length, path).toBeGreaterThan(0);
      expect(fields.filter((f) => !(f in targets.get(path)!.samples)), path).toEqual([]);
    }
  });

  for (const path of ['/api/v1/people/{id}', '/api/v1/cases/{id}', '/api/v1/cases/{id}/services/{serviceId}', '/api/v1/institutions/{id}', '/api/v1/children/{id}', '/api/v1/children/{id}/measures/{itemId}', '/api/v1/children/{id}/verifications/{itemId}', '/api/v1/directory/services/{id}', '/api/v1/outreach/events/{id}', '/api/v1/resources/points/{id}', '/api/v1/resources/operations/{id}']) {
    it(`${path}: each field sent alone changes that field and nothing else`, async () => {
      const target = targets.get(path)!;
      const problems: string[] = [];
      for (const field of bodyFields(path)) {
        const id = await target.create();
        const before = await target.read(id);
        const body = { [field]: target.samples[field], ...(target.companions?.[field] ?? {}) };
        const res = await target.patch(id, body);
        if (res.status >= 300) {
          problems.push(`${field}: ${res.status} ${res.text}`);
          continue;
        }
        const after = await target.read(id);
        for (const key of Object.keys(before)) {
          if (key in body || target.volatile.includes(key)) continue;
          if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) problems.push(`${field} changed ${key}: ${JSON.stringify(before[key])} -> ${JSON.stringify(after[key])}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('a correction of sex alone keeps nationalities, languages, other names, disabilities and documents (the reported case)', async () => {
    const target = targets.get('/api/v1/people/{id}')!;
    const id = await target.create();
    const res = await target.patch(id, { sex: 'female' });
    expect(res.status, res.text).toBe(200);
    const person = await target.read(id);
    expect(person).toMatchObject({
      nationalities: ['HND', 'GTM'],
      vulnerabilities: ['pregnant'],
      languages: ['spa', 'mam'],
      other_names: ['La Güera'],
      disabilities: ['visual'],
      documents: [{ type: 'passport', number: 'G1234567', issuer: 'HND' }],
    });
  });
});
