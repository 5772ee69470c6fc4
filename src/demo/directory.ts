import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/db/database.ts';
import { isoDaysAfter, localDate } from '../platform/dates.ts';
import { mxStateList } from '../platform/mx-states.ts';
import { Random } from '../platform/random.ts';
import { createUser } from '../users/user.service.ts';
import { derivedId } from '../directory/hsds.service.ts';
import { importTables, TABLES, type Tables } from '../directory/package.ts';
import { places, type Place } from '../directory/places.ts';
import { randomName } from './names.ts';
import { DEMO_EMAIL_DOMAIN } from './catalogue.ts';

/**
 * The demo's services directory: about 170 published services in the towns of the southern and
 * northern borders (./directory/places.ts), each kind of service with its own hours, ages, languages
 * and documents; shelters with beds (several in Tapachula with free ones); verified up to last week,
 * about one in eight not verified for more than six months. The organisations are invented (names of
 * the kind such places have), except the demo's own institutions, whose entries their directory
 * editors keep. Written through the module's HSDS package import, as another directory would arrive.
 */
type Kind = {
  category: string[];
  names: string[];
  description: string;
  documents: string[];
  ages?: [number, number];
  hours: Array<[string, string, string]>;
  beds?: [number, number];
  free: boolean;
  fees?: string;
  languages: string[];
  apply: string;
};

const KINDS: Kind[] = [
  { category: ['shelter', 'food'], names: ['Casa del Migrante {town}', 'Albergue {saint}', 'Albergue Hogar de la Misericordia', 'Casa de Acogida {saint}'], description: 'Albergue temporal: cama, tres comidas, regaderas, ropa y orientación. Estancia de hasta 7 días, más si espera un trámite.', documents: ['Identificación si la tiene (no es obligatoria)'], hours: [['MO,TU,WE,TH,FR,SA,SU', '00:00', '23:59']], beds: [30, 150], free: true, languages: ['spa', 'eng'], apply: 'Llegue a la puerta a cualquier hora; de noche toque el timbre. Trabajo social le registra al entrar.' },
  { category: ['shelter', 'child_protection'], names: ['Albergue para familias {saint}', 'Casa para mujeres y familias {town}'], description: 'Albergue para mujeres solas, con hijas e hijos, y familias. Espacio separado para niñas, niños y adolescentes.', documents: ['Acta de nacimiento de las hijas e hijos si la tiene'], hours: [['MO,TU,WE,TH,FR,SA,SU', '00:00', '23:59']], beds: [20, 60], free: true, languages: ['spa'], apply: 'Pida hablar con la coordinadora; si viene con menores de edad se avisa a la Procuraduría de Protección.' },
  { category: ['food'], names: ['Comedor comunitario {saint}', 'Comedor del Migrante {town}'], description: 'Desayuno y comida caliente, agua, y a veces despensas para el camino.', documents: [], hours: [['MO,TU,WE,TH,FR,SA', '08:00', '15:00']], free: true, languages: ['spa'], apply: 'Forme la fila antes de la hora de comida; no se pide registro.' },
  { category: ['health'], names: ['Centro de Salud {town}', 'Unidad médica móvil {town}'], description: 'Consulta médica general, vacunas, pruebas rápidas y medicamentos básicos. La atención de urgencia no depende de su situación migratoria.', documents: ['CURP temporal o constancia de COMAR si la tiene (no es obligatoria)'], hours: [['MO,TU,WE,TH,FR', '08:00', '20:00'], ['SA', '08:00', '14:00']], free: true, languages: ['spa'], apply: 'Pida ficha en la ventanilla de recepción.' },
  { category: ['mental_health'], names: ['Atención psicosocial {town}', 'Espacio de escucha {saint}'], description: 'Apoyo psicológico individual y en grupo para personas que vivieron violencia en el camino.', documents: [], ages: [12, 120], hours: [['MO,WE,FR', '10:00', '16:00']], free: true, languages: ['spa', 'eng', 'fra'], apply: 'Pida una cita por teléfono o en la recepción del albergue.' },
  { category: ['legal_aid', 'asylum'], names: ['Clínica jurídica para personas migrantes {town}', 'Defensoría del Migrante {town}'], description: 'Orientación y acompañamiento legal: solicitud de refugio, regularización, detención, quejas contra autoridades.', documents: ['Cualquier documento que tenga: pasaporte, citatorios, constancias, oficios del INM'], hours: [['MO,TU,WE,TH', '09:00', '17:00']], free: true, languages: ['spa', 'eng', 'fra', 'hat'], apply: 'Llegue temprano: se atiende por orden de llegada; también puede escribir por WhatsApp.' },
  { category: ['asylum', 'documents'], names: ['Oficina de atención de la COMAR en {town}', 'Módulo de refugio {town}'], description: 'Recepción de solicitudes de la condición de refugiado, citas y constancias de trámite.', documents: ['Identificación si la tiene', 'Fotografía reciente'], hours: [['MO,TU,WE,TH,FR', '09:00', '15:00']], free: true, languages: ['spa', 'eng', 'fra', 'hat', 'por'], apply: 'El trámite es gratuito: nadie puede cobrarle por una cita. Acuda en persona dentro de los 30 días hábiles de su llegada.' },
  { category: ['documents'], names: ['Módulo de CURP temporal {town}', 'Registro civil: actas para personas migrantes {town}'], description: 'Trámite de CURP temporal para personas extranjeras y orientación sobre tarjetas de visitante.', documents: ['Constancia de COMAR o documento migratorio vigente', 'Identificación'], hours: [['MO,TU,WE,TH,FR', '09:00', '14:00']], free: true, languages: ['spa'], apply: 'Acuda con sus documentos; se entrega el mismo día.' },
  { category: ['child_protection'], names: ['Procuraduría de Protección de NNA, oficina {town}', 'DIF municipal {town}'], description: 'Protección de niñas, niños y adolescentes migrantes, acompañados o no: representación, cuidado alternativo y búsqueda de familia.', documents: [], ages: [0, 17], hours: [['MO,TU,WE,TH,FR,SA,SU', '00:00', '23:59']], free: true, languages: ['spa'], apply: 'Cualquier persona puede avisar de una niña o niño solo; la atención es inmediata.' },
  { category: ['protection'], names: ['Atención a víctimas {town}', 'Centro de Justicia para las Mujeres {town}'], description: 'Atención a víctimas de delito, violencia o trata: acompañamiento, atención médica y psicológica, asesoría jurídica.', documents: [], hours: [['MO,TU,WE,TH,FR,SA,SU', '00:00', '23:59']], free: true, languages: ['spa', 'eng'], apply: 'Puede llegar sin cita. Si está en peligro llame al 911.' },
  { category: ['education'], names: ['Clases de español y regularización escolar {town}', 'Escuela para todos {town}'], description: 'Inscripción en escuela pública, revalidación de estudios y clases de español para adultos.', documents: ['Acta de nacimiento o documento de identidad', 'Constancias de estudios si las tiene'], ages: [5, 120], hours: [['MO,TU,WE,TH', '16:00', '19:00']], free: true, languages: ['spa', 'fra', 'hat'], apply: 'Inscríbase en la recepción; no se pide documento migratorio para la escuela pública.' },
  { category: ['employment'], names: ['Bolsa de trabajo para personas migrantes {town}', 'Oficina del Servicio Nacional de Empleo {town}'], description: 'Vacantes, capacitación y orientación sobre derechos laborales; apoyo para obtener permiso de trabajo.', documents: ['CURP temporal o documento migratorio con permiso de trabajo'], ages: [18, 120], hours: [['MO,TU,WE,TH,FR', '09:00', '16:00']], free: true, languages: ['spa'], apply: 'Registre sus datos en la ventanilla y consulte las vacantes del día.' },
  { category: ['financing', 'remittances'], names: ['Cooperativa de ahorro y remesas {town}', 'Microcréditos para emprendedores migrantes {town}'], description: 'Cuenta de ahorro básica, cobro de remesas y microcréditos para negocios pequeños.', documents: ['Identificación oficial o documento migratorio', 'Comprobante de domicilio si lo tiene'], ages: [18, 120], hours: [['MO,TU,WE,TH,FR', '09:00', '17:00'], ['SA', '09:00', '13:00']], free: false, fees: 'Sin costo la cuenta; cobro de remesas con comisión según la empresa de envío.', languages: ['spa'], apply: 'Acuda a ventanilla con su identificación.' },
  { category: ['technology', 'family_tracing'], names: ['Punto de conexión y llamadas {town}', 'Restablecimiento del contacto familiar {town}'], description: 'Llamadas gratuitas, carga de teléfonos, Internet y apoyo para buscar y contactar a familiares.', documents: [], hours: [['TU,TH,SA', '10:00', '14:00']], free: true, languages: ['spa', 'eng', 'fra', 'por'], apply: 'Llegue en el horario; las llamadas duran 3 minutos.' },
];

const SAINTS = ['Belén', 'San José', 'Jesús el Buen Pastor', 'Santa Martha', 'El Buen Samaritano', 'Nuestra Señora de Guadalupe', 'San Francisco de Asís', 'La Sagrada Familia', 'Todo por Ellos', 'Hermanos en el Camino', 'La 72', 'Esperanza'];
const STREETS = ['Avenida Central', 'Calle 5 de Mayo', 'Calle Hidalgo', 'Avenida Juárez', 'Calle Morelos', 'Boulevard Las Palmas', 'Calle Allende', 'Avenida Revolución', 'Calle Independencia', 'Calle Zaragoza'];
const HOW_TO_GET_THERE = ['A cuatro cuadras de la central de autobuses, hacia el centro.', 'Frente al mercado municipal; pregunte por la puerta azul.', 'Combi o colectivo con letrero "Centro"; bájese en la iglesia.', 'A diez minutos a pie del puente fronterizo.', 'Junto a la parroquia; la entrada está por la calle lateral.'];

/** The towns of the border states (the capital's entries are for the national offices). */
const BORDER_TOWNS = places.filter((p) => p.state !== '09');

export async function loadDirectoryDemo(db: Db, options: { seed: number; institutionIds: Map<string, string>; password: string; now?: Date }) {
  const random = new Random(options.seed ^ 0xd12ec7);
  const today = localDate(options.now ?? new Date());
  const tables = Object.fromEntries(Object.keys(TABLES).map((k) => [k, []])) as unknown as Tables;
  const taxonomy = new Map((await db.selectFrom('directory_taxonomy_terms').select(['id', 'code']).execute()).map((t) => [t.code, t.id]));
  const organizations = new Map<string, string>();
  const organizationFor = (name: string) => {
    let id = organizations.get(name);
    if (!id) {
      id = randomUUID();
      organizations.set(name, id);
      tables.organization.push({ id, name, alternate_name: null, description: `${name}: servicios para personas migrantes.`, email: null, website: null });
    }
    return id;
  };

  const addService = (kind: Kind, town: Place, name: string, organization: string) => {
    const id = randomUUID();
    const orgId = organizationFor(organization);
    const locationId = randomUUID();
    const stale = random.chance(0.13);
    const verified = isoDaysAfter(today, -(stale ? random.int(190, 420) : random.int(7, 170)));
    tables.location.push({ id: locationId, location_type: 'physical', organization_id: orgId, name: null, description: null, transportation: random.pick(HOW_TO_GET_THERE), latitude: Number((town.lat + (random.next() - 0.5) * 0.02).toFixed(5)), longitude: Number((town.lon + (random.next() - 0.5) * 0.02).toFixed(5)), external_identifier: town.code, external_identifier_type: 'INEGI municipio' });
    tables.address.push({ id: derivedId(locationId, 'address'), location_id: locationId, address_1: `${random.pick(STREETS)} ${random.int(1, 400)}, colonia Centro`, city: town.name, state_province: mxStateList.find((s) => s.code === town.state)!.name, postal_code: '', country: 'MX', address_type: 'physical' });
    tables.service.push({ id, organization_id: orgId, name, alternate_name: null, description: kind.description, url: null, email: null, status: 'active', application_process: kind.apply, fees_description: kind.fees ?? null, eligibility_description: null, minimum_age: kind.ages?.[0] ?? null, maximum_age: kind.ages?.[1] ?? null, assured_date: verified, alert: null, last_modified: `${verified}T15:00:00.000Z` });
    tables.service_at_location.push({ id: randomUUID(), service_id: id, location_id: locationId, description: null });
    for (const [byday, opens, closes] of kind.hours) tables.schedule.push({ id: randomUUID(), service_id: id, freq: 'WEEKLY', byday, opens_at: opens, closes_at: closes, description: null });
    tables.phone.push({ id: randomUUID(), service_id: id, number: `+52 ${random.int(200, 999)} ${random.int(100, 999)} ${random.int(1000, 9999)}`, type: 'voice', description: null });
    if (random.chance(0.5)) tables.phone.push({ id: randomUUID(), service_id: id, number: `+52 ${random.int(200, 999)} ${random.int(100, 999)} ${random.int(1000, 9999)}`, type: 'whatsapp', description: null });
    const langs = new Set(kind.languages);
    // Haitian and French speakers pass through Tapachula and the north; shelters there learned to answer them.
    if (random.chance(0.4)) langs.add(random.pick(['hat', 'fra', 'por', 'mam', 'tzo']));
    for (const code of langs) tables.language.push({ id: derivedId(id, 'language', code), service_id: id, code, name: code });
    if (kind.free) tables.cost_option.push({ id: derivedId(id, 'cost'), service_id: id, option: 'free', amount: 0, currency: 'MXN' });
    kind.documents.forEach((document, i) => tables.required_document.push({ id: derivedId(id, 'document', String(i)), service_id: id, document }));
    if (kind.beds) {
      const maximum = random.int(kind.beds[0], kind.beds[1]);
      const available = random.chance(0.3) ? 0 : random.int(1, Math.max(1, Math.round(maximum / 3)));
      tables.service_capacity.push({ id: derivedId(id, 'capacity'), service_id: id, maximum, available, updated: `${isoDaysAfter(today, -random.int(0, 3))}T14:00:00.000Z` });
    }
    for (const code of kind.category) tables.attribute.push({ id: randomUUID(), link_id: id, link_type: 'service', link_entity: 'service', taxonomy_term_id: taxonomy.get(code)! });
    return id;
  };

  // Every border town gets a shelter, a place to eat, a health service and two or three more.
  for (const town of BORDER_TOWNS) {
    const count = town.code === '07089' ? 12 : random.int(4, 5);
    for (let i = 0; i < count; i++) {
      const kind = i < 3 ? KINDS[[0, 2, 3][i]!]! : town.code === '07089' && i < 6 ? KINDS[i < 5 ? 0 : 1]! : random.pick(KINDS);
      const name = random.pick(kind.names).replace('{town}', town.name).replace('{saint}', random.pick(SAINTS));
      addService(kind, town, name, name);
    }
  }
  // Tapachula's shelters have free beds today (the journey the directory is first for).
  for (const capacity of tables.service_capacity) {
    const service = tables.service.find((s) => s.id === capacity.service_id)!;
    const location = tables.location.find((l) => tables.service_at_location.some((x) => x.service_id === service.id && x.location_id === l.id))!;
    if (location.external_identifier === '07089' && capacity.available === 0) capacity.available = 6;
  }
  // The demo's shelters keep their own entries, with a directory editor each (their supervisor reviews).
  const owned: Array<{ institutionId: string; organizationId: string }> = [];
  const users: { email: string; role: string; institution: string }[] = [];
  for (const [code, town] of [['ALB1', '07089'], ['ALB2', '26043']] as const) {
    const institutionId = options.institutionIds.get(code);
    if (!institutionId) continue;
    const institution = await db.selectFrom('institutions').select('name').where('id', '=', institutionId).executeTakeFirstOrThrow();
    addService(KINDS[0]!, places.find((p) => p.code === town)!, institution.name, institution.name);
    owned.push({ institutionId, organizationId: organizationFor(institution.name) });
    const name = randomName(random, 'female', 'mx');
    const email = `directorio.${code.toLowerCase()}${DEMO_EMAIL_DOMAIN}`;
    await createUser(db, null, { email, display_name: [name.given_names, name.surname1].join(' '), password: options.password, institution_id: institutionId, role: 'directory_editor' });
    users.push({ email, role: 'directory_editor', institution: code });
  }
  await importTables(db, tables);
  for (const { institutionId, organizationId } of owned) {
    await db.updateTable('directory_organizations').set({ institution_id: institutionId }).where('id', '=', organizationId).execute();
    await db.updateTable('directory_services').set({ institution_id: institutionId }).where('organization_id', '=', organizationId).execute();
  }
  return { services: tables.service.length, users };
}
