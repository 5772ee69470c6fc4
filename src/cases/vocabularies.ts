/**
 * Controlled lists for people and case files, with their labels. The server validates against the
 * keys; the web app imports this same file for its labels, so the two never disagree.
 */
type Labels = { es: string; en: string };
const list = <K extends string>(entries: Record<K, Labels>) => entries;

export const programmes = list({
  victim_assistance: { es: 'Atención a víctimas', en: 'Victim assistance' },
  consular_protection: { es: 'Protección consular', en: 'Consular protection' },
  health: { es: 'Salud', en: 'Health' },
  mental_health: { es: 'Salud mental', en: 'Mental health' },
  addiction_treatment: { es: 'Tratamiento de adicciones', en: 'Addiction treatment' },
  shelter: { es: 'Albergue', en: 'Shelter' },
  legal_aid: { es: 'Asesoría jurídica', en: 'Legal aid' },
  child_protection: { es: 'Protección de NNA', en: 'Child protection' },
  search: { es: 'Búsqueda de personas', en: 'Search for missing persons' },
  women_support: { es: 'Atención integral a la mujer', en: 'Comprehensive support for women' },
});

export const crimeTypes = list({
  trafficking: { es: 'Trata de personas', en: 'Trafficking in persons' },
  smuggling: { es: 'Tráfico de personas', en: 'Smuggling of migrants' },
  disappearance: { es: 'Desaparición', en: 'Disappearance' },
  kidnapping: { es: 'Secuestro', en: 'Kidnapping' },
  extortion: { es: 'Extorsión', en: 'Extortion' },
  sexual_violence: { es: 'Violencia sexual', en: 'Sexual violence' },
  robbery: { es: 'Robo', en: 'Robbery' },
  assault: { es: 'Lesiones', en: 'Assault' },
  homicide: { es: 'Homicidio', en: 'Homicide' },
  domestic_violence: { es: 'Violencia familiar', en: 'Domestic violence' },
});

export const rightsViolations = list({
  discrimination: { es: 'Discriminación', en: 'Discrimination' },
  arbitrary_detention: { es: 'Detención arbitraria', en: 'Arbitrary detention' },
  abuse_of_authority: { es: 'Abuso de autoridad', en: 'Abuse of authority' },
  denial_of_access_to_justice: { es: 'Negación de acceso a la justicia', en: 'Denial of access to justice' },
  denial_of_health_care: { es: 'Negación de atención médica', en: 'Denial of health care' },
  torture_or_ill_treatment: { es: 'Tortura o malos tratos', en: 'Torture or ill-treatment' },
  refoulement: { es: 'Devolución indebida', en: 'Refoulement' },
});

export const serviceTypes = list({
  legal: { es: 'Asesoría legal', en: 'Legal advice' },
  psychological_first_aid: { es: 'Primeros auxilios psicológicos', en: 'Psychological first aid' },
  crisis_intervention: { es: 'Intervención en crisis', en: 'Crisis intervention' },
  psychotherapy: { es: 'Atención psicológica', en: 'Psychological care' },
  medical: { es: 'Atención médica', en: 'Medical care' },
  addiction_treatment: { es: 'Tratamiento de adicciones', en: 'Addiction treatment' },
  shelter: { es: 'Alojamiento', en: 'Shelter' },
  food: { es: 'Alimentación', en: 'Food' },
  translation: { es: 'Traducción e interpretación', en: 'Translation and interpreting' },
  consular_assistance: { es: 'Asistencia consular', en: 'Consular assistance' },
  repatriation_support: { es: 'Apoyo para repatriación', en: 'Repatriation support' },
  documentation: { es: 'Trámite de documentos', en: 'Documentation' },
  social_work: { es: 'Trabajo social', en: 'Social work' },
});

export const participantRoles = list({
  direct_victim: { es: 'Víctima directa', en: 'Direct victim' },
  indirect_victim: { es: 'Víctima indirecta', en: 'Indirect victim' },
  applicant: { es: 'Solicitante', en: 'Applicant' },
  family_member: { es: 'Familiar', en: 'Family member' },
  guardian: { es: 'Tutor/a', en: 'Guardian' },
  child: { es: 'Niña, niño o adolescente', en: 'Child' },
});

export const sexes = list({
  female: { es: 'Mujer', en: 'Female' },
  male: { es: 'Hombre', en: 'Male' },
  intersex: { es: 'Intersexual', en: 'Intersex' },
  unknown: { es: 'No registrado', en: 'Not recorded' },
});

export const genderIdentities = list({
  woman: { es: 'Mujer', en: 'Woman' },
  man: { es: 'Hombre', en: 'Man' },
  trans_woman: { es: 'Mujer trans', en: 'Trans woman' },
  trans_man: { es: 'Hombre trans', en: 'Trans man' },
  non_binary: { es: 'No binaria', en: 'Non-binary' },
  other: { es: 'Otra', en: 'Other' },
  not_stated: { es: 'Prefiere no decir', en: 'Prefers not to say' },
});

export const vulnerabilities = list({
  unaccompanied_child: { es: 'NNA no acompañado/a', en: 'Unaccompanied child' },
  separated_child: { es: 'NNA separado/a', en: 'Separated child' },
  pregnant: { es: 'Embarazada', en: 'Pregnant' },
  lgbti: { es: 'LGBTI', en: 'LGBTI' },
  disability: { es: 'Persona con discapacidad', en: 'Person with disability' },
  crime_victim: { es: 'Víctima de delito', en: 'Victim of crime' },
  asylum_seeker: { es: 'Solicitante de asilo', en: 'Asylum seeker' },
  indigenous: { es: 'Persona indígena', en: 'Indigenous person' },
  older_person: { es: 'Persona adulta mayor', en: 'Older person' },
  chronic_illness: { es: 'Enfermedad crónica', en: 'Chronic illness' },
});

export const disabilities = list({
  physical: { es: 'Física o motriz', en: 'Physical' },
  visual: { es: 'Visual', en: 'Visual' },
  hearing: { es: 'Auditiva', en: 'Hearing' },
  intellectual: { es: 'Intelectual', en: 'Intellectual' },
  psychosocial: { es: 'Psicosocial', en: 'Psychosocial' },
});

export const documentTypes = list({
  passport: { es: 'Pasaporte', en: 'Passport' },
  curp: { es: 'CURP', en: 'CURP' },
  temporary_curp: { es: 'CURP temporal para personas extranjeras', en: 'Temporary CURP for foreigners' },
  consular_id: { es: 'Matrícula consular', en: 'Consular ID' },
  national_id: { es: 'Documento nacional de identidad', en: 'National identity document' },
  birth_certificate: { es: 'Acta de nacimiento', en: 'Birth certificate' },
  regional_visitor_card: { es: 'Tarjeta de Visitante Regional', en: 'Regional Visitor Card' },
  humanitarian_visa: { es: 'Tarjeta de Visitante por Razones Humanitarias', en: 'Humanitarian visitor card' },
  other: { es: 'Otro', en: 'Other' },
});

export const closureReasons = list({
  services_completed: { es: 'Atención concluida', en: 'Services completed' },
  referred: { es: 'Canalizado a otra institución', en: 'Referred to another institution' },
  person_left: { es: 'La persona dejó de acudir', en: 'The person stopped attending' },
  repatriated: { es: 'Repatriación', en: 'Repatriated' },
  reunified: { es: 'Reunificación familiar', en: 'Family reunification' },
  located: { es: 'Persona localizada', en: 'Person located' },
  duplicate: { es: 'Registro duplicado', en: 'Duplicate record' },
  other: { es: 'Otro motivo', en: 'Other' },
});

export const consentMethods = list({
  written: { es: 'Por escrito', en: 'Written' },
  verbal: { es: 'Verbal, registrado', en: 'Verbal, recorded' },
  guardian: { es: 'Por su tutor/a', en: 'By the guardian' },
});

export const sharedSections = list({
  participants: { es: 'Personas participantes', en: 'Participants' },
  services: { es: 'Servicios otorgados', en: 'Services given' },
  notes: { es: 'Notas', en: 'Notes' },
  attachments: { es: 'Adjuntos', en: 'Attachments' },
  summary: { es: 'Resumen del caso', en: 'Case summary' },
});

export const keysOf = <K extends string>(entries: Record<K, Labels>) => Object.keys(entries) as [K, ...K[]];
