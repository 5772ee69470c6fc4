/**
 * Controlled lists of the child-protection module, with their labels (the web app shows these). The
 * rights follow the Ley General de los Derechos de Niñas, Niños y Adolescentes (LGDNNA, title two);
 * the measures are those a Procuraduría's restitution plan (art. 123) typically orders.
 */
type Labels = { es: string; en: string };
const list = <K extends string>(entries: Record<K, Labels>) => entries;

export const accompaniments = list({
  accompanied: { es: 'Acompañado/a por su madre, padre o tutor', en: 'Accompanied by a parent or guardian' },
  unaccompanied: { es: 'No acompañado/a', en: 'Unaccompanied' },
  separated: { es: 'Separado/a (con otro adulto, no su tutor)', en: 'Separated (with another adult, not a guardian)' },
});

export const identificationWays = list({
  migration_authority: { es: 'Por la autoridad migratoria', en: 'By the migration authority' },
  shelter: { es: 'En un albergue', en: 'At a shelter' },
  border_crossing: { es: 'En un cruce fronterizo', en: 'At a border crossing' },
  public_place: { es: 'En la vía pública', en: 'In a public place' },
  consulate: { es: 'Por un consulado', en: 'By a consulate' },
  self_presented: { es: 'Se presentó por su cuenta', en: 'Came forward on their own' },
  other: { es: 'Otra', en: 'Other' },
});

export const wishes = list({
  yes: { es: 'Sí', en: 'Yes' },
  no: { es: 'No', en: 'No' },
  later: { es: 'Más adelante', en: 'Later' },
});

export const tracingConsents = list({
  given: { es: 'Dio su consentimiento', en: 'Consent given' },
  refused: { es: 'No dio su consentimiento', en: 'Consent refused' },
  not_asked: { es: 'Aún no se le ha preguntado', en: 'Not asked yet' },
});

export const protectionClaims = list({
  none: { es: 'No ha solicitado protección internacional', en: 'No international protection claim' },
  open: { es: 'Solicitud de la condición de refugiado en trámite (COMAR)', en: 'Refugee claim in progress (COMAR)' },
  recognised: { es: 'Reconocido/a como refugiado/a o con protección complementaria', en: 'Recognised as a refugee or complementary protection' },
  refused: { es: 'Solicitud negada', en: 'Claim refused' },
  withdrawn: { es: 'Desistió de la solicitud', en: 'Claim withdrawn' },
});

export const linkRelationships = list({
  sibling: { es: 'Hermana/o', en: 'Sibling' },
  companion: { es: 'Acompañante de viaje', en: 'Travel companion' },
  parent: { es: 'Madre o padre', en: 'Parent' },
  relative: { es: 'Otro familiar', en: 'Other relative' },
  other: { es: 'Otra', en: 'Other' },
});

export const rightsAffected = list({
  identity: { es: 'Derecho a la identidad', en: 'Right to identity' },
  family_life: { es: 'Derecho a vivir en familia', en: 'Right to family life' },
  health: { es: 'Derecho a la protección de la salud', en: 'Right to health' },
  education: { es: 'Derecho a la educación', en: 'Right to education' },
  life_free_of_violence: { es: 'Derecho a una vida libre de violencia', en: 'Right to a life free of violence' },
  due_process: { es: 'Derecho a la seguridad jurídica y al debido proceso', en: 'Right to legal certainty and due process' },
  asylum: { es: 'Derecho a solicitar asilo o protección internacional', en: 'Right to seek asylum or international protection' },
  rest_and_play: { es: 'Derecho al descanso y al esparcimiento', en: 'Right to rest and play' },
  participation: { es: 'Derecho a la participación', en: 'Right to participation' },
  standard_of_living: { es: 'Derecho a un nivel de vida adecuado', en: 'Right to an adequate standard of living' },
});

export const measures = list({
  legal_representation: { es: 'Representación jurídica en coadyuvancia', en: 'Legal representation' },
  asylum_referral: { es: 'Canalización a la COMAR para solicitar protección', en: 'Referral to COMAR to seek protection' },
  regularisation: { es: 'Regularización migratoria (visa por razones humanitarias)', en: 'Migration regularisation (humanitarian visa)' },
  identity_documents: { es: 'Obtención de documentos de identidad', en: 'Identity documents' },
  medical_care: { es: 'Atención médica', en: 'Medical care' },
  psychological_care: { es: 'Atención psicológica', en: 'Psychological care' },
  school_enrolment: { es: 'Inscripción escolar', en: 'School enrolment' },
  family_tracing: { es: 'Búsqueda de familiares', en: 'Family tracing' },
  alternative_care: { es: 'Cuidado alternativo', en: 'Alternative care' },
  interpreter: { es: 'Intérprete o traductor', en: 'Interpreter or translator' },
  recreation: { es: 'Actividades recreativas', en: 'Recreational activities' },
  protection_order: { es: 'Medida urgente de protección', en: 'Urgent protection measure' },
});

export const measureTypes = list({
  protection: { es: 'Protección', en: 'Protection' },
  restitution: { es: 'Restitución', en: 'Restitution' },
});

export const frequencies = list({
  once: { es: 'Una vez', en: 'Once' },
  daily: { es: 'Diaria', en: 'Daily' },
  weekly: { es: 'Semanal', en: 'Weekly' },
  monthly: { es: 'Mensual', en: 'Monthly' },
  as_needed: { es: 'Cuando se requiera', en: 'As needed' },
});

/** Alternative care, most family-like first (the UN Guidelines' order of preference). */
export const careTypes = list({
  kinship: { es: 'Con familiares (acogimiento por familia extensa)', en: 'Kinship care' },
  foster_family: { es: 'Familia de acogida', en: 'Foster family' },
  family_based: { es: 'Otro cuidado de tipo familiar', en: 'Other family-based care' },
  supervised_independent: { es: 'Vida independiente supervisada', en: 'Supervised independent living' },
  residential: { es: 'Centro de Asistencia Social (residencial)', en: 'Residential care (Centro de Asistencia Social)' },
});

export const facilityKinds = list({
  cas: { es: 'Centro de Asistencia Social', en: 'Social assistance centre (CAS)' },
  shelter: { es: 'Albergue autorizado por el DIF', en: 'DIF-authorised shelter' },
});

export const bestInterestsKinds = list({
  assessment_short: { es: 'Evaluación breve del interés superior', en: 'Best-interests assessment (short)' },
  assessment_comprehensive: { es: 'Evaluación integral del interés superior', en: 'Best-interests assessment (comprehensive)' },
  determination: { es: 'Determinación del interés superior', en: 'Best-interests determination' },
});

export const bestInterestsDecisions = list({
  reunify_family: { es: 'Reunificación con su familia', en: 'Reunification with family' },
  stay_in_mexico: { es: 'Permanecer en México con protección', en: 'Stay in Mexico under protection' },
  return_to_country: { es: 'Retorno asistido a su país', en: 'Assisted return to country of origin' },
  resettle_third_country: { es: 'Reasentamiento en un tercer país', en: 'Resettlement in a third country' },
  trace_family: { es: 'Buscar a su familia', en: 'Trace the family' },
  alternative_care: { es: 'Cuidado alternativo', en: 'Alternative care' },
  other: { es: 'Otra', en: 'Other' },
});

export const professions = list({
  law: { es: 'Derecho', en: 'Law' },
  psychology: { es: 'Psicología', en: 'Psychology' },
  social_work: { es: 'Trabajo social', en: 'Social work' },
  medicine: { es: 'Medicina', en: 'Medicine' },
  education: { es: 'Pedagogía', en: 'Education' },
  child_protection: { es: 'Protección de la infancia', en: 'Child protection' },
  other: { es: 'Otra', en: 'Other' },
});

export const panelPositions = list({
  agree: { es: 'De acuerdo', en: 'Agrees' },
  dissent: { es: 'En desacuerdo (voto particular)', en: 'Dissents' },
  abstain: { es: 'Se abstiene', en: 'Abstains' },
});

export const adultRelationships = list({
  mother: { es: 'Madre', en: 'Mother' },
  father: { es: 'Padre', en: 'Father' },
  grandparent: { es: 'Abuela/o', en: 'Grandparent' },
  sibling: { es: 'Hermana/o', en: 'Sibling' },
  aunt_uncle: { es: 'Tía/o', en: 'Aunt or uncle' },
  other_relative: { es: 'Otro familiar', en: 'Other relative' },
  other: { es: 'Otra persona', en: 'Other person' },
});

export const recommendations = list({
  reunify: { es: 'Se recomienda la reunificación', en: 'Reunification recommended' },
  do_not_reunify: { es: 'No se recomienda la reunificación', en: 'Reunification not recommended' },
  more_information: { es: 'Se necesita más información', en: 'More information needed' },
});

export const followupOutcomes = list({
  well: { es: 'Bien integrado/a', en: 'Doing well' },
  concerns: { es: 'Con preocupaciones', en: 'Concerns' },
  breakdown: { es: 'La reunificación no funcionó', en: 'Placement broke down' },
  not_located: { es: 'No se le localizó', en: 'Not located' },
});

export const tracingChannels = list({
  in_person: { es: 'En persona', en: 'In person' },
  consulate: { es: 'A través de un consulado', en: 'Through a consulate' },
  public_page: { es: 'Página pública para familias', en: "Families' public page" },
});

export const tracingVia = list({
  child: { es: 'La niña, niño o adolescente buscado', en: 'The child sought' },
  family_member: { es: 'Un familiar registrado en el expediente', en: 'A family member recorded in the file' },
});

export const tracingMatchStatuses = list({
  proposed: { es: 'Por revisar', en: 'To review' },
  confirmed: { es: 'Confirmada', en: 'Confirmed' },
  rejected: { es: 'Descartada', en: 'Rejected' },
});

export { keysOf } from '../cases/vocabularies.ts';
