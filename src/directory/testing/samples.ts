import type { ServiceInput } from '../directory.schema.ts';

/** A directory entry as an editor would write it: a shelter in Tapachula with free beds (tests only). */
export function shelterBody(overrides: Partial<ServiceInput> = {}): Record<string, unknown> {
  return {
    name: 'Albergue de prueba Tapachula',
    description: 'Albergue temporal para personas migrantes y solicitantes de refugio: cama, tres comidas, regaderas.',
    application_process: 'Llegue a la puerta entre las 8:00 y las 20:00 y pida hablar con trabajo social.',
    free: true,
    eligibility_description: 'Hombres, mujeres y familias con hijas e hijos.',
    minimum_age: 0,
    maximum_age: 120,
    required_documents: ['Identificación si la tiene (no es obligatoria)', 'Constancia de COMAR si ya la tramitó'],
    capacity_maximum: 80,
    capacity_available: 12,
    categories: ['shelter', 'food'],
    languages: ['spa', 'eng', 'fra', 'hat'],
    phones: [{ number: '+52 962 555 0101', type: 'voice' }, { number: '+52 962 555 0102', type: 'whatsapp', description: 'Solo mensajes' }],
    schedules: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], opens_at: '00:00', closes_at: '23:59' }],
    location: { address_1: 'Calle 8a Norte 50, colonia Centro', state_code: '07', municipality_code: '07089', postal_code: '30700', transportation: 'A seis cuadras del parque central, hacia el norte. Desde la terminal de autobuses, combi ruta 5.' },
    ...overrides,
  };
}
