import type { ComplaintStatus } from '../platform/db/database.ts';
/**
 * Controlled lists of the complaints module, with Spanish and English labels. The public pages and
 * the API validate against the keys; statistics count by them.
 */
type Labels = { es: string; en: string };
const list = <K extends string>(entries: Record<K, Labels>) => entries;
export const keysOf = <K extends string>(entries: Record<K, Labels>) => Object.keys(entries) as [K, ...K[]];

export const complaintKinds = list({
  grievance: { es: 'Queja', en: 'Complaint' },
  report: { es: 'Denuncia', en: 'Report of wrongdoing' },
  petition: { es: 'Petición', en: 'Petition' },
});

export const complaintChannels = list({
  web: { es: 'Internet', en: 'Internet' },
  phone: { es: 'Teléfono', en: 'Phone' },
  in_person: { es: 'En persona', en: 'In person' },
});

export const placeTypes = list({
  checkpoint: { es: 'Punto de revisión o retén', en: 'Checkpoint' },
  migration_station: { es: 'Estación migratoria o estancia provisional', en: 'Migration station or holding facility' },
  shelter: { es: 'Albergue o casa del migrante', en: 'Shelter' },
  border_crossing: { es: 'Cruce fronterizo', en: 'Border crossing' },
  road: { es: 'Carretera o camino', en: 'Road' },
  bus_station: { es: 'Central de autobuses o transporte', en: 'Bus station or transport' },
  train: { es: 'Tren o vías del tren', en: 'Train or railway' },
  airport: { es: 'Aeropuerto', en: 'Airport' },
  public_office: { es: 'Oficina pública', en: 'Public office' },
  hospital: { es: 'Hospital o centro de salud', en: 'Hospital or health centre' },
  other: { es: 'Otro lugar', en: 'Other place' },
  unknown: { es: 'No sé / prefiero no decir', en: 'I do not know / prefer not to say' },
});

export const authorityTypes = list({
  migration_institute: { es: 'Instituto Nacional de Migración (INM)', en: 'National Migration Institute (INM)' },
  national_guard: { es: 'Guardia Nacional', en: 'National Guard' },
  armed_forces: { es: 'Ejército o Marina', en: 'Army or Navy' },
  federal_prosecutor: { es: 'Fiscalía General de la República', en: 'Federal Attorney General' },
  state_prosecutor: { es: 'Fiscalía estatal', en: 'State prosecutor' },
  state_police: { es: 'Policía estatal', en: 'State police' },
  municipal_police: { es: 'Policía municipal', en: 'Municipal police' },
  customs: { es: 'Aduanas', en: 'Customs' },
  health_services: { es: 'Servicios de salud', en: 'Health services' },
  child_protection: { es: 'DIF o Procuraduría de Protección de NNA', en: 'DIF or child-protection office' },
  consular: { es: 'Consulado', en: 'Consulate' },
  other_public_servant: { es: 'Otra autoridad o servidor público', en: 'Other authority or public servant' },
  unknown: { es: 'No sé qué autoridad era', en: 'I do not know which authority' },
});

export const complaintStatuses = list({
  new: { es: 'Recibida', en: 'Received' },
  under_review: { es: 'En revisión', en: 'Under review' },
  more_information_requested: { es: 'Se solicitó más información', en: 'More information requested' },
  admitted: { es: 'Admitida', en: 'Admitted' },
  not_admitted: { es: 'No admitida', en: 'Not admitted' },
  transmitted: { es: 'Turnada a la autoridad investigadora', en: 'Sent to the investigating authority' },
  resolved: { es: 'Resuelta', en: 'Resolved' },
  closed: { es: 'Concluida', en: 'Closed' },
});

export const notAdmittedReasons = list({
  not_competent: { es: 'Fuera de la competencia de la unidad', en: 'Outside the unit’s competence' },
  insufficient_information: { es: 'Información insuficiente', en: 'Insufficient information' },
  duplicate: { es: 'Duplicada', en: 'Duplicate' },
  not_about_public_servants: { es: 'No se refiere a servidores públicos', en: 'Not about public servants' },
  other: { es: 'Otro motivo', en: 'Other reason' },
});

export const outcomes = list({
  sanction: { es: 'Sanción', en: 'Sanction' },
  no_responsibility: { es: 'Sin responsabilidad', en: 'No responsibility found' },
  conciliated: { es: 'Conciliada', en: 'Conciliated' },
  referred_elsewhere: { es: 'Canalizada a otra instancia', en: 'Referred elsewhere' },
  withdrawn: { es: 'Desistimiento', en: 'Withdrawn' },
  other: { es: 'Otro', en: 'Other' },
});

export const transmissionMeans = list({
  electronic: { es: 'Medio electrónico', en: 'Electronic' },
  physical_media: { es: 'Medio físico (USB, disco)', en: 'Physical media (USB, disc)' },
  in_person: { es: 'Entrega en persona', en: 'Delivered in person' },
});

/** The 32 states with INEGI's two-digit codes. */
export { mexicanStates } from '../platform/mx-states.ts';

/** Allowed status changes. `transmitted` is reached only by recording a transmission (with its package). */
export const transitions: Record<ComplaintStatus, ComplaintStatus[]> = {
  new: ['under_review', 'more_information_requested', 'admitted', 'not_admitted', 'closed'],
  under_review: ['more_information_requested', 'admitted', 'not_admitted', 'transmitted', 'closed'],
  more_information_requested: ['under_review', 'admitted', 'not_admitted', 'closed'],
  admitted: ['under_review', 'more_information_requested', 'transmitted', 'resolved', 'closed'],
  not_admitted: ['under_review', 'closed'],
  transmitted: ['more_information_requested', 'resolved', 'closed'],
  resolved: ['closed'],
  closed: ['under_review'],
};
