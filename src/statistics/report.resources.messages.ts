import type { Figure, Part } from './report.messages.ts';

/**
 * The report's phrases for the rest of the seed (report.resources.ts), in Spanish and English, in the
 * style of report.messages.ts: sentences are functions of their figures.
 */
const one = (f: Figure) => f.value === 1;
const pick = (f: Figure, singular: string, plural: string) => (one(f) ? singular : plural);

export type ResourceMessages = {
  headings: { resources: string; operations: string; found: string; consular: string };
  /** "Al 30 de septiembre de 2019": the period's last day opening a sentence. */
  onDay: (day: string) => string;
  resources: (a: { on: string; points: Figure; staff: Figure; municipalities: Figure; states: Figure }) => Part[];
  rescues: (a: { period: string; rescued: Figure; operations: Figure }) => Part[];
  transfers: (a: { road: Figure; air: Figure }) => Part[];
  foundAlive: (a: { period: string; found: Figure; nationalities: Part[] }) => Part[];
  nationalityShare: (a: { figure: Figure; country: string }) => Part[];
  consularFiles: (a: { on: string; files: Figure; victims: Figure }) => Part[];
};

export const resourceMessages: Record<'es' | 'en', ResourceMessages> = {
  es: {
    headings: { resources: 'Recursos del programa', operations: 'Rescates y traslados', found: 'Personas localizadas con vida', consular: 'Expedientes abiertos a través de representaciones consulares' },
    onDay: (day) => `Al ${day}`,
    resources: ({ on, points, staff, municipalities, states }) => [
      `${on}, el programa contaba con `,
      points,
      pick(points, ' punto en operación y ', ' puntos en operación y '),
      staff,
      pick(staff, ' persona asignada, en ', ' personas asignadas, en '),
      municipalities,
      pick(municipalities, ' municipio de ', ' municipios de '),
      states,
      pick(states, ' entidad federativa.', ' entidades federativas.'),
    ],
    rescues: ({ period, rescued, operations }) => [`${period} se rescató a `, rescued, pick(rescued, ' persona migrante en ', ' personas migrantes en '), operations, pick(operations, ' operación de rescate.', ' operaciones de rescate.')],
    transfers: ({ road, air }) => [' Se brindó apoyo en traslado por carretera a ', road, pick(road, ' persona', ' personas'), ' y por vía aérea a ', air, pick(air, ' persona.', ' personas.')],
    foundAlive: ({ period, found, nationalities }) => [`${period} se localizó con vida a `, found, pick(found, ' persona migrante', ' personas migrantes'), ...(nationalities.length ? [': ', ...nationalities, '.'] : ['.'])],
    nationalityShare: ({ figure, country }) => [figure, ` de ${country}`],
    consularFiles: ({ on, files, victims }) => [`${on} había `, files, pick(files, ' expediente abierto a través de representaciones consulares (Mecanismo de Apoyo Exterior), en el que se atiende a ', ' expedientes abiertos a través de representaciones consulares (Mecanismo de Apoyo Exterior), en los que se atiende a '), victims, pick(victims, ' víctima directa o indirecta.', ' víctimas directas e indirectas.')],
  },
  en: {
    headings: { resources: 'Programme resources', operations: 'Rescues and transfers', found: 'Persons found alive', consular: 'Case files opened through consulates' },
    onDay: (day) => `On ${day}`,
    resources: ({ on, points, staff, municipalities, states }) => [
      `${on}, the programme had `,
      points,
      pick(points, ' point in operation and ', ' points in operation and '),
      staff,
      pick(staff, ' person posted, in ', ' people posted, in '),
      municipalities,
      pick(municipalities, ' municipality of ', ' municipalities of '),
      states,
      pick(states, ' state.', ' states.'),
    ],
    rescues: ({ period, rescued, operations }) => [`${period}, `, rescued, pick(rescued, ' migrant was rescued in ', ' migrants were rescued in '), operations, pick(operations, ' rescue operation.', ' rescue operations.')],
    transfers: ({ road, air }) => [' Transfer support was given by road to ', road, pick(road, ' person', ' people'), ' and by air to ', air, pick(air, ' person.', ' people.')],
    foundAlive: ({ period, found, nationalities }) => [`${period}, `, found, pick(found, ' migrant was found alive', ' migrants were found alive'), ...(nationalities.length ? [': ', ...nationalities, '.'] : ['.'])],
    nationalityShare: ({ figure, country }) => [figure, ` from ${country}`],
    consularFiles: ({ on, files, victims }) => [`${on} there were `, files, pick(files, ' case file opened through consulates (Mecanismo de Apoyo Exterior) still open, in which ', ' case files opened through consulates (Mecanismo de Apoyo Exterior) still open, in which '), victims, pick(victims, ' direct or indirect victim is attended.', ' direct and indirect victims are attended.')],
  },
};
