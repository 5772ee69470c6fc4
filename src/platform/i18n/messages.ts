/** Messages the server itself writes (errors, generated text). The web UI has its own catalogue. */
export const languages = ['es', 'en'] as const;
export type Language = (typeof languages)[number];

const es = {
  validation_failed: 'Los datos enviados no son válidos.',
  not_found: 'No se encontró el recurso solicitado.',
  route_not_found: 'Esta dirección no existe.',
  unauthenticated: 'Inicie sesión para continuar.',
  forbidden: 'Su función no permite esta acción.',
  csrf_failed: 'La solicitud no incluye un token anti-falsificación válido. Recargue la página.',
  invalid_credentials: 'Correo o contraseña incorrectos.',
  account_locked: 'La cuenta está bloqueada temporalmente por demasiados intentos fallidos. Intente de nuevo más tarde.',
  too_many_requests: 'Demasiadas solicitudes. Espere un momento e intente de nuevo.',
  mfa_required: 'Introduzca el código de su aplicación de autenticación.',
  mfa_invalid: 'El código de verificación no es válido.',
  mfa_enrolment_required: 'Su institución exige un segundo factor de autenticación. Configúrelo para continuar.',
  mfa_not_pending: 'No hay una verificación en dos pasos pendiente.',
  conflict: 'El registro ya existe o fue modificado por otra persona.',
  email_taken: 'Ya existe un usuario con ese correo.',
  institution_code_taken: 'Ya existe una institución con ese código.',
  payload_too_large: 'El archivo o los datos enviados superan el tamaño permitido.',
  unsupported_media_type: 'Tipo de contenido no admitido.',
  invalid_json: 'El cuerpo de la solicitud no es JSON válido.',
  invalid_status_transition: 'El expediente no puede pasar del estado «{from}» a «{to}».',
  closure_reason_required: 'Para cerrar un expediente indique el motivo de cierre.',
  birth_after_case_opened: 'La fecha de nacimiento de una persona participante es posterior a la apertura del expediente.',
  date_in_future: 'La fecha no puede ser futura.',
  date_before_case_opened: 'La fecha es anterior a la apertura del expediente.',
  person_not_visible: 'Una de las personas indicadas no existe o no es visible para usted.',
  participant_not_in_case: 'La persona no participa en este expediente.',
  direct_victim_required: 'Un expediente de atención a víctimas necesita al menos una víctima directa.',
  referral_to_self: 'No puede canalizar un expediente a su propia institución.',
  referral_not_pending: 'La canalización ya fue respondida.',
  referral_already_pending: 'Ya hay una canalización pendiente a esa institución.',
  institution_not_found: 'La institución indicada no existe.',
  user_not_in_institution: 'La persona usuaria indicada no pertenece a esta institución.',
  attachment_type_not_allowed: 'Tipo de archivo no permitido. Se aceptan PDF, imágenes JPEG o PNG y texto.',
  attachment_content_mismatch: 'El contenido del archivo no corresponde a su tipo declarado.',
  invalid_token: 'El token de acceso no es válido o ha expirado.',
  internal_error: 'Ocurrió un error interno. Se registró para su revisión.',
  database_unavailable: 'La base de datos no está disponible en este momento.',
  complaint_invalid_transition: 'La queja no puede pasar del estado «{from}» a «{to}».',
  complaint_reason_required: 'Para no admitir una queja indique el motivo.',
  complaint_outcome_required: 'Para dar por resuelta una queja indique el resultado.',
  complaint_transmit_with_package: 'Una queja se marca como turnada al registrar su envío (con su paquete firmado).',
  complaint_unit_not_found: 'La unidad indicada no existe.',
  complaint_forward_to_self: 'La queja ya está en esa unidad.',
  complaint_receipt_invalid: 'El folio o el número de recibo no son correctos.',
  complaint_attachment_type_not_allowed: 'Tipo de archivo no permitido. Se aceptan fotos JPEG o PNG, PDF y audio (MP3, OGG/Opus, WAV, M4A, AMR, WebM).',
  complaint_too_many_files: 'Se permiten como máximo {max} archivos.',
  complaint_on_legal_hold: 'La queja está bajo resguardo legal y no puede eliminarse.',
  statistics_unknown_indicator: 'El indicador «{indicator}» no existe. Consulte /api/v1/statistics/indicators.',
  statistics_unknown_dimension: 'La desagregación «{dimension}» no existe o está repetida.',
  statistics_dimension_not_supported: 'El indicador «{indicator}» no se puede desagregar por «{dimension}».',
  statistics_too_many_dimensions: 'Se permiten como máximo {max} desagregaciones a la vez.',
  statistics_invalid_period: 'El periodo no es válido: indique from y to (AAAA-MM-DD, from no posterior a to) o period (AAAA, AAAA-Qn o AAAA-MM).',
  statistics_future_period: 'El periodo empieza en el futuro: todavía no hay registros que contar.',
  statistics_invalid_age_bands: 'Los grupos de edad deben empezar en 0, ir en orden creciente y usar los cortes 0, 1, 5, 10, 12, 15, 18, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75 u 80.',
  statistics_min_cell_too_low: 'El umbral de supresión no puede ser menor que {min}.',
  statistics_unknown_programme: 'El programa indicado no existe.',
  statistics_unknown_institution: 'La institución indicada no existe o está fuera de su ámbito.',
} as const;

export type MessageKey = keyof typeof es;

const en: Record<MessageKey, string> = {
  validation_failed: 'The submitted data is not valid.',
  not_found: 'The requested resource was not found.',
  route_not_found: 'This address does not exist.',
  unauthenticated: 'Please sign in to continue.',
  forbidden: 'Your role does not allow this action.',
  csrf_failed: 'The request lacks a valid anti-forgery token. Reload the page.',
  invalid_credentials: 'Wrong email or password.',
  account_locked: 'The account is temporarily locked after too many failed attempts. Try again later.',
  too_many_requests: 'Too many requests. Wait a moment and try again.',
  mfa_required: 'Enter the code from your authenticator app.',
  mfa_invalid: 'The verification code is not valid.',
  mfa_enrolment_required: 'Your institution requires a second factor. Set it up to continue.',
  mfa_not_pending: 'No two-step verification is pending.',
  conflict: 'The record already exists or was changed by someone else.',
  email_taken: 'A user with that email already exists.',
  institution_code_taken: 'An institution with that code already exists.',
  payload_too_large: 'The file or data sent is larger than allowed.',
  unsupported_media_type: 'Unsupported content type.',
  invalid_json: 'The request body is not valid JSON.',
  invalid_status_transition: 'The case cannot go from status “{from}” to “{to}”.',
  closure_reason_required: 'Give a closure reason to close a case.',
  birth_after_case_opened: 'A participant’s date of birth is after the case was opened.',
  date_in_future: 'The date cannot be in the future.',
  date_before_case_opened: 'The date is before the case was opened.',
  person_not_visible: 'One of the people given does not exist or is not visible to you.',
  participant_not_in_case: 'The person does not take part in this case.',
  direct_victim_required: 'A victim-assistance case needs at least one direct victim.',
  referral_to_self: 'You cannot refer a case to your own institution.',
  referral_not_pending: 'The referral has already been answered.',
  referral_already_pending: 'There is already a pending referral to that institution.',
  institution_not_found: 'The institution given does not exist.',
  user_not_in_institution: 'The user given does not belong to this institution.',
  attachment_type_not_allowed: 'File type not allowed. PDF, JPEG or PNG images and plain text are accepted.',
  attachment_content_mismatch: 'The file content does not match its declared type.',
  invalid_token: 'The access token is not valid or has expired.',
  internal_error: 'An internal error occurred. It was recorded for review.',
  database_unavailable: 'The database is not available at the moment.',
  complaint_invalid_transition: 'The complaint cannot go from status “{from}” to “{to}”.',
  complaint_reason_required: 'Give the reason for not admitting the complaint.',
  complaint_outcome_required: 'Give the outcome to resolve the complaint.',
  complaint_transmit_with_package: 'A complaint becomes transmitted when its sending is recorded (with its signed package).',
  complaint_unit_not_found: 'The unit given does not exist.',
  complaint_forward_to_self: 'The complaint is already in that unit.',
  complaint_receipt_invalid: 'The folio or the receipt number is not correct.',
  complaint_attachment_type_not_allowed: 'File type not allowed. JPEG or PNG photos, PDF and audio (MP3, OGG/Opus, WAV, M4A, AMR, WebM) are accepted.',
  complaint_too_many_files: 'At most {max} files are allowed.',
  complaint_on_legal_hold: 'The complaint is under legal hold and cannot be deleted.',
  statistics_unknown_indicator: 'The indicator "{indicator}" does not exist. See /api/v1/statistics/indicators.',
  statistics_unknown_dimension: 'The disaggregation "{dimension}" does not exist or is repeated.',
  statistics_dimension_not_supported: 'The indicator "{indicator}" cannot be disaggregated by "{dimension}".',
  statistics_too_many_dimensions: 'At most {max} disaggregations are allowed at once.',
  statistics_invalid_period: 'The period is not valid: give from and to (YYYY-MM-DD, from not after to) or period (YYYY, YYYY-Qn or YYYY-MM).',
  statistics_future_period: 'The period starts in the future: there are no records to count yet.',
  statistics_invalid_age_bands: 'Age bands must start at 0, ascend and use the cut points 0, 1, 5, 10, 12, 15, 18, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75 or 80.',
  statistics_min_cell_too_low: 'The suppression threshold cannot be lower than {min}.',
  statistics_unknown_programme: 'The programme given does not exist.',
  statistics_unknown_institution: 'The institution given does not exist or is outside your scope.',
};

const catalogues: Record<Language, Record<MessageKey, string>> = { es, en };

export function translate(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return catalogues[language][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

/** Picks the language from `?lang=`, then Accept-Language; Spanish when nothing matches. */
export function negotiateLanguage(queryLang: unknown, acceptLanguage: string | undefined): Language {
  if (queryLang === 'en' || queryLang === 'es') return queryLang;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part) => {
        const [tag = '', ...rest] = part.trim().split(';');
        const q = rest.find((p) => p.trim().startsWith('q='));
        return { tag: tag.toLowerCase().slice(0, 2), q: q ? Number(q.trim().slice(2)) : 1 };
      })
      .sort((a, b) => b.q - a.q);
    for (const { tag } of ranked) if (tag === 'es' || tag === 'en') return tag;
  }
  return 'es';
}
