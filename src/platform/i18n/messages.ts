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
