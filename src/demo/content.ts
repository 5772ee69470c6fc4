import type { Random } from '../platform/random.ts';
import type { DemoPerson } from './model.ts';

/** What the demo's case files say, by programme: services, notes, crimes, closures and summaries. */

export const DEMONYM: Record<string, [string, string]> = {
  HND: ['hondureño', 'hondureña'],
  GTM: ['guatemalteco', 'guatemalteca'],
  SLV: ['salvadoreño', 'salvadoreña'],
  NIC: ['nicaragüense', 'nicaragüense'],
  VEN: ['venezolano', 'venezolana'],
  CUB: ['cubano', 'cubana'],
  HTI: ['haitiano', 'haitiana'],
  MEX: ['mexicano', 'mexicana'],
  COL: ['colombiano', 'colombiana'],
  ECU: ['ecuatoriano', 'ecuatoriana'],
  BRA: ['brasileño', 'brasileña'],
  CHL: ['chileno', 'chilena'],
};


export const SERVICE_UNITS: Record<string, string> = {
  legal: 'Área jurídica',
  psychological_first_aid: 'Área de psicología',
  crisis_intervention: 'Área de psicología',
  psychotherapy: 'Área de psicología',
  medical: 'Consultorio médico',
  addiction_treatment: 'Consulta externa',
  shelter: 'Área de alojamiento',
  food: 'Comedor',
  translation: 'Interpretación',
  consular_assistance: 'Departamento de Protección',
  repatriation_support: 'Departamento de Protección',
  documentation: 'Documentación',
  social_work: 'Trabajo social',
};

export const SERVICES: Record<string, Record<string, number>> = {
  victim_assistance: { legal: 30, psychological_first_aid: 12, crisis_intervention: 8, psychotherapy: 20, medical: 8, social_work: 15, shelter: 4, food: 3 },
  consular_protection: { consular_assistance: 45, documentation: 25, legal: 15, repatriation_support: 8, social_work: 7 },
  women_support: { consular_assistance: 25, legal: 30, psychotherapy: 20, social_work: 15, documentation: 10 },
  health: { medical: 75, social_work: 15, psychological_first_aid: 10 },
  mental_health: { psychological_first_aid: 30, crisis_intervention: 15, psychotherapy: 55 },
  addiction_treatment: { addiction_treatment: 65, psychotherapy: 25, medical: 10 },
  shelter: { shelter: 30, food: 30, medical: 10, legal: 8, social_work: 10, psychological_first_aid: 7, documentation: 5 },
  legal_aid: { legal: 70, documentation: 25, social_work: 5 },
  child_protection: { social_work: 30, legal: 15, psychotherapy: 15, shelter: 12, food: 10, documentation: 10, repatriation_support: 8 },
  search: { social_work: 45, psychological_first_aid: 25, legal: 30 },
};

export const SERVICE_NOTES: Record<string, string[]> = {
  legal: ['Se explica el derecho a solicitar protección internacional.', 'Orientación sobre el procedimiento de regularización por razones humanitarias.', 'Se revisa la documentación presentada.', 'Acompañamiento a la presentación de la denuncia ante el Ministerio Público.'],
  psychological_first_aid: ['Se brinda contención emocional.', 'Persona con ansiedad moderada; se acuerda seguimiento.'],
  crisis_intervention: ['Intervención en crisis tras relato de los hechos.', 'Se estabiliza a la persona; se acuerda nueva cita.'],
  psychotherapy: ['Sesión de seguimiento; refiere mejoría del sueño.', 'Trabajo sobre duelo migratorio.', 'Se aplican técnicas de regulación emocional.'],
  medical: ['Consulta de primer nivel; se entrega tratamiento.', 'Curación de lesiones en pies por caminata prolongada.', 'Control prenatal.', 'Cuadro respiratorio agudo; se indica reposo e hidratación.', 'Deshidratación leve; se administra suero oral.'],
  addiction_treatment: ['Sesión de tratamiento ambulatorio.', 'Se refuerza plan de prevención de recaídas.'],
  shelter: ['Ingreso al dormitorio.', 'Se prorroga la estancia por situación de vulnerabilidad.'],
  food: ['Tres comidas diarias.'],
  translation: ['Entrevista con apoyo de intérprete.'],
  consular_assistance: ['Visita consular al centro de detención.', 'Comunicación con familiares en México.', 'Se da seguimiento a la audiencia migratoria.'],
  repatriation_support: ['Se coordina el retorno asistido con el módulo de recepción.', 'Se gestiona el traslado a la comunidad de origen.'],
  documentation: ['Se tramita la expedición de documento de identidad.', 'Se apoya con la obtención del acta de nacimiento.'],
  social_work: ['Estudio socioeconómico.', 'Se localiza a familiares por teléfono.', 'Se gestiona apoyo para transporte.', 'Visita de seguimiento.'],
};

export const CASE_NOTES = [
  'Entrevista inicial realizada en espacio privado.',
  'Se informa a la persona sobre el aviso de privacidad y el uso de sus datos.',
  'La persona no acudió a la cita programada; se reprograma.',
  'Se acuerda plan de atención con la persona.',
  'Se coordina con la institución a la que se canalizó.',
  'Llamada de seguimiento: la persona se encuentra estable.',
  'Se actualizan datos de contacto.',
  'Reunión de caso con el equipo multidisciplinario.',
];

export const CRIMES = { extortion: 25, robbery: 20, kidnapping: 12, assault: 12, sexual_violence: 10, trafficking: 8, smuggling: 5, disappearance: 5, homicide: 3 } as const;
export const CRIME_WORDS: Record<string, string> = {
  extortion: 'extorsión',
  robbery: 'robo',
  kidnapping: 'secuestro',
  assault: 'lesiones',
  sexual_violence: 'violencia sexual',
  trafficking: 'trata de personas',
  smuggling: 'tráfico de personas',
  disappearance: 'desaparición de un familiar',
  homicide: 'homicidio de un familiar',
  domestic_violence: 'violencia familiar',
};
export const ROUTE_PLACES = ['la ruta por Chiapas', 'Tabasco', 'Veracruz', 'Oaxaca', 'la frontera norte', 'Coahuila', 'Tamaulipas', 'el tren de carga', 'Puebla', 'Sonora'];

export const CLOSURES: Record<string, Record<string, number>> = {
  victim_assistance: { services_completed: 60, person_left: 15, referred: 10, repatriated: 10, other: 5 },
  consular_protection: { services_completed: 60, repatriated: 30, person_left: 10 },
  women_support: { services_completed: 70, person_left: 20, referred: 10 },
  health: { services_completed: 80, person_left: 15, referred: 5 },
  mental_health: { services_completed: 60, person_left: 35, referred: 5 },
  addiction_treatment: { services_completed: 50, person_left: 45, referred: 5 },
  shelter: { person_left: 55, services_completed: 30, referred: 10, repatriated: 5 },
  legal_aid: { services_completed: 70, person_left: 20, referred: 10 },
  child_protection: { reunified: 40, repatriated: 30, referred: 15, services_completed: 15 },
  search: { located: 45, other: 45, services_completed: 10 },
};

export function summaryFor(random: Random, programme: string, main: DemoPerson, crimes: string[]): string {
  const gentilicio = DEMONYM[main.nationalities[0]!]?.[main.sex === 'female' ? 1 : 0] ?? 'extranjera';
  const person = main.sex === 'female' ? 'Mujer' : 'Hombre';
  const place = random.pick(ROUTE_PLACES);
  switch (programme) {
    case 'victim_assistance':
      return `${person} de nacionalidad ${gentilicio} que refiere haber sido víctima de ${crimes.map((c) => CRIME_WORDS[c]).join(' y ')} durante su tránsito por ${place}. Solicita acompañamiento jurídico y atención psicológica.`;
    case 'consular_protection':
      return random.pick([
        'Connacional detenido por autoridades migratorias; se solicita visita consular y comunicación con familiares.',
        'Connacional solicita orientación sobre su situación migratoria y la documentación de sus hijos.',
        'Connacional hospitalizado; la familia solicita apoyo consular.',
        'Connacional en proceso de deportación; se da seguimiento a su audiencia.',
      ]);
    case 'women_support':
      return random.pick([
        'Usuaria acude a la Ventanilla de Atención Integral para la Mujer; refiere violencia familiar. Se brinda orientación legal.',
        'Usuaria solicita información sobre pensión alimenticia y custodia de sus hijos.',
        'Usuaria refiere violencia económica por parte de su pareja; se orienta sobre redes de apoyo locales.',
      ]);
    case 'health':
      return `Atención médica a persona ${gentilicio} en tránsito: ${random.pick(['infección respiratoria', 'deshidratación', 'lesiones en pies', 'control prenatal', 'hipertensión arterial', 'diabetes sin tratamiento', 'lesión por caída del tren'])}.`;
    case 'mental_health':
      return `${person} de nacionalidad ${gentilicio} con ${random.pick(['síntomas de ansiedad', 'alteraciones del sueño', 'síntomas depresivos', 'estrés agudo'])} tras hechos violentos en ${place}.`;
    case 'addiction_treatment':
      return `Consumo problemático de ${random.pick(['alcohol', 'metanfetamina', 'marihuana', 'cocaína', 'inhalables'])}; acepta tratamiento ambulatorio.`;
    case 'shelter':
      return `Ingreso al albergue. ${person} de nacionalidad ${gentilicio} que viaja ${random.pick(['solo', 'con su familia', 'en grupo', 'con conocidos'])}; se ofrece alojamiento, alimentación y orientación.`;
    case 'legal_aid':
      return random.pick([
        `Asesoría para solicitar el reconocimiento de la condición de refugiado; persona ${gentilicio} que refiere persecución por pandillas.`,
        'Asesoría sobre regularización migratoria por razones humanitarias.',
        'Acompañamiento en el procedimiento administrativo migratorio.',
        'Solicita orientación sobre reunificación familiar.',
      ]);
    case 'child_protection':
      return `${main.sex === 'female' ? 'Adolescente' : 'Adolescente'} de nacionalidad ${gentilicio} ${main.vulnerabilities.includes('unaccompanied_child') ? 'no acompañado/a' : 'separado/a de su familia'}, canalizado/a por el Instituto Nacional de Migración. Se inicia la búsqueda de familiares y la determinación del interés superior.`;
    case 'search':
      return `Familiar reporta la desaparición de una persona ${gentilicio} en tránsito por México; último contacto en ${place}.`;
    default:
      return 'Atención a persona en contexto de movilidad.';
  }
}