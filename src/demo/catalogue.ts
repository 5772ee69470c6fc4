import type { NewInstitution } from '../institutions/institution.service.ts';

/**
 * The institutions of the demo, modelled on those of the 2019 country report that Amparo follows:
 * CEAV's unit for migrant victims, consulates with their women's windows, shelters with mental
 * health care, state health units in Sinaloa, the child-protection office, COMAR, a legal clinic,
 * an international organisation and the search commission.
 */
/** Every demo user's address ends so (the start-up listing finds them by it). */
export const DEMO_EMAIL_DOMAIN = '@demo.amparo';

export type Region = 'south' | 'north' | 'centre' | 'abroad';

export type DemoInstitution = Omit<NewInstitution, 'parent_id'> & {
  parent?: string;
  region: Region;
  /** Share of the demo people first registered here. */
  share: number;
  programmes: Record<string, number>;
  /** Area code for the phone numbers people leave here. */
  phone: string;
  place: string;
};

export const DEMO_INSTITUTIONS: DemoInstitution[] = [
  {
    code: 'CEAV',
    name: 'Comisión Ejecutiva de Atención a Víctimas — Unidad de Atención a Personas Migrantes',
    type: 'federal_agency',
    unit_type: 'office',
    state_code: '09',
    municipality_code: '09015',
    region: 'centre',
    share: 11,
    programmes: { victim_assistance: 85, legal_aid: 15 },
    phone: '+52 55',
    place: 'Ciudad de México',
  },
  {
    code: 'CONSHOU',
    name: 'Consulado General de México en Houston',
    type: 'consulate',
    unit_type: 'office',
    country: 'USA',
    region: 'abroad',
    share: 8,
    programmes: { consular_protection: 70, women_support: 30 },
    phone: '+1 713',
    place: 'Houston, Texas',
  },
  {
    code: 'CONSLAX',
    name: 'Consulado General de México en Los Ángeles',
    type: 'consulate',
    unit_type: 'office',
    country: 'USA',
    region: 'abroad',
    share: 7,
    programmes: { consular_protection: 65, women_support: 35 },
    phone: '+1 213',
    place: 'Los Ángeles, California',
  },
  {
    code: 'ALB1',
    name: 'Albergue para Personas Migrantes Casa de la Esperanza, Tapachula',
    type: 'shelter',
    unit_type: 'residential',
    state_code: '07',
    municipality_code: '07089',
    region: 'south',
    share: 20,
    programmes: { shelter: 65, mental_health: 20, health: 15 },
    phone: '+52 962',
    place: 'Tapachula, Chiapas',
  },
  {
    code: 'ALB2',
    name: 'Casa de Acogida para Personas Migrantes del Desierto, Nogales',
    type: 'shelter',
    unit_type: 'residential',
    state_code: '26',
    municipality_code: '26043',
    region: 'north',
    share: 12,
    programmes: { shelter: 65, mental_health: 25, health: 10 },
    phone: '+52 631',
    place: 'Nogales, Sonora',
  },
  {
    code: 'PPNNACHIS',
    name: 'Procuraduría de Protección de Niñas, Niños y Adolescentes del Estado de Chiapas (DIF Chiapas)',
    type: 'state_agency',
    unit_type: 'office',
    state_code: '07',
    municipality_code: '07101',
    region: 'south',
    share: 7,
    programmes: { child_protection: 100 },
    phone: '+52 961',
    place: 'Tuxtla Gutiérrez, Chiapas',
  },
  {
    code: 'SSSIN',
    name: 'Servicios de Salud de Sinaloa — Unidad de Atención a Personas Migrantes de Culiacán',
    type: 'state_agency',
    unit_type: 'outpatient',
    state_code: '25',
    municipality_code: '25006',
    region: 'north',
    share: 9,
    programmes: { health: 88, mental_health: 12 },
    phone: '+52 667',
    place: 'Culiacán, Sinaloa',
  },
  {
    code: 'CAPASIN',
    name: 'Centro de Atención Primaria en Adicciones de Culiacán',
    type: 'state_agency',
    unit_type: 'outpatient',
    state_code: '25',
    municipality_code: '25006',
    parent: 'SSSIN',
    region: 'north',
    share: 3,
    programmes: { addiction_treatment: 100 },
    phone: '+52 667',
    place: 'Culiacán, Sinaloa',
  },
  {
    code: 'COMARTAP',
    name: 'Comisión Mexicana de Ayuda a Refugiados — Oficina de Representación en Tapachula',
    type: 'federal_agency',
    unit_type: 'office',
    state_code: '07',
    municipality_code: '07089',
    region: 'south',
    share: 8,
    programmes: { legal_aid: 100 },
    phone: '+52 962',
    place: 'Tapachula, Chiapas',
  },
  {
    code: 'CLINJUR',
    name: 'Clínica Jurídica para Personas Migrantes y Refugiadas, A.C.',
    type: 'civil_society',
    unit_type: 'office',
    state_code: '09',
    municipality_code: '09015',
    region: 'centre',
    share: 6,
    programmes: { legal_aid: 100 },
    phone: '+52 55',
    place: 'Ciudad de México',
  },
  {
    code: 'UNICEFTAP',
    name: 'Fondo de las Naciones Unidas para la Infancia — Oficina de Campo Tapachula',
    type: 'international_organisation',
    unit_type: 'mobile',
    state_code: '07',
    municipality_code: '07089',
    region: 'south',
    share: 4,
    programmes: { child_protection: 100 },
    phone: '+52 962',
    place: 'Tapachula, Chiapas',
  },
  {
    code: 'CNB',
    name: 'Comisión Nacional de Búsqueda de Personas — Mecanismo de Apoyo Exterior',
    type: 'federal_agency',
    unit_type: 'office',
    state_code: '09',
    municipality_code: '09014',
    region: 'centre',
    share: 5,
    programmes: { search: 100 },
    phone: '+52 55',
    place: 'Ciudad de México',
  },
];

type Situation = 'child' | 'victim' | 'asylum' | 'health' | 'addiction' | 'legal' | 'any';

/**
 * Who sends whom where: for each source institution, the routes it refers along, each as [receiving
 * institution, receiving programme, the situation it is for, the reason written on the referral].
 */
const ROUTES_FROM: Record<string, [to: string, programme: string, when: Situation, reason: string][]> = {
  ALB1: [
    ['PPNNACHIS', 'child_protection', 'child', 'Niña, niño o adolescente sin acompañamiento de su madre, padre o tutor: se solicita la intervención de la Procuraduría de Protección.'],
    ['COMARTAP', 'legal_aid', 'asylum', 'La persona manifiesta temor de regresar a su país y desea solicitar el reconocimiento de la condición de refugiado.'],
    ['CEAV', 'victim_assistance', 'victim', 'Víctima de delito durante el tránsito: se solicita atención integral, asesoría jurídica y acompañamiento.'],
    ['CLINJUR', 'legal_aid', 'legal', 'Requiere representación legal para su trámite migratorio.'],
  ],
  ALB2: [
    ['SSSIN', 'health', 'health', 'Requiere valoración médica y seguimiento que el albergue no puede brindar.'],
    ['CAPASIN', 'addiction_treatment', 'addiction', 'Consumo problemático de sustancias: se canaliza a tratamiento ambulatorio.'],
    ['CEAV', 'victim_assistance', 'victim', 'Víctima de delito en la frontera norte: se solicita atención integral.'],
  ],
  SSSIN: [
    ['CAPASIN', 'addiction_treatment', 'addiction', 'Se identifica consumo de sustancias durante la consulta; acepta tratamiento.'],
  ],
  UNICEFTAP: [
    ['PPNNACHIS', 'child_protection', 'child', 'Adolescente no acompañado identificado en recorrido de campo; se solicita medida de protección.'],
  ],
  CEAV: [
    ['CLINJUR', 'legal_aid', 'victim', 'Asesoría para la regularización migratoria por razones humanitarias como víctima de delito.'],
  ],
  COMARTAP: [
    ['CLINJUR', 'legal_aid', 'asylum', 'Acompañamiento jurídico durante el procedimiento de reconocimiento de la condición de refugiado.'],
  ],
  CNB: [
    ['CEAV', 'victim_assistance', 'victim', 'Familiares de persona desaparecida: se solicita su inscripción y atención como víctimas indirectas.'],
  ],
};

/** The routes one a row, in the order above: source, receiving institution and programme, situation, reason. */
export const REFERRAL_ROUTES = Object.entries(ROUTES_FROM).flatMap(([from, routes]) => routes.map(([to, programme, when, reason]) => ({ from, to, programme, when, reason })));
