import { digitGroups, errorSummary as summaryBox, html, Html } from '../../platform/html.ts';
import { mxStateOptions } from '../../platform/mx-states.ts';
import { countries } from '../../statistics/geography.ts';
import { countryName } from '../../public/i18n.ts';
import { languageSwitch, reviewNotice, SWITCH_CSS } from '../../public/layout.ts';
import { formatReceipt } from '../../platform/receipts.ts';
import { dateInWords, dateTimeInWords } from '../../platform/dates.ts';
import { one, many, noErrors, type FormErrors, type FormValues } from './form.ts';
import { fill, type Strings } from './strings.ts';
import type { FamilyReport } from './family.ts';

/**
 * The families' pages: escaped templates (`html`), one small inline style sheet, no script, no
 * external resource. Every input has a visible label; an error is written next to its field (and
 * linked from the summary at the top), and the field points to it with aria-describedby.
 */
export const BASE = '/familias/busqueda';
export const paths = { landing: BASE, report: `${BASE}/reportar`, follow: `${BASE}/seguimiento`, reply: `${BASE}/seguimiento/responder`, receiptPdf: `${BASE}/comprobante` };

const CSS = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1b1b;background:#f7f6f2}
header,main,footer{max-width:40rem;margin:0 auto;padding:.75rem 1rem}header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem 1rem;border-bottom:3px solid #1d4f7a}
.brand{font-weight:700;color:#1d4f7a;text-decoration:none}a{color:#0b4f8a}h1{font-size:1.4rem;line-height:1.25}h2{font-size:1.15rem;margin-top:1.5rem}
fieldset{border:1px solid #c6c4bb;border-radius:.4rem;margin:1rem 0;padding:.5rem .9rem 1rem;background:#fff}legend{font-weight:700;padding:0 .3rem}
fieldset fieldset{border:0;padding:0;margin:.8rem 0 0}fieldset fieldset legend{font-weight:600;padding:0}
label{display:block;margin:.75rem 0 .2rem;font-weight:600}.choice{font-weight:400;display:flex;gap:.5rem;align-items:flex-start;margin:.35rem 0}.choice input{margin-top:.3rem;width:1.1rem;height:1.1rem;flex:none}
input[type=text],input[type=email],input[type=tel],input[type=date],select,textarea{width:100%;font:inherit;padding:.5rem;border:1px solid #6b6b6b;border-radius:.3rem;background:#fff;color:inherit}
.pair{display:flex;gap:1rem}.pair>div{flex:1}textarea{min-height:6rem}[aria-invalid=true]{border:2px solid #a40000}
.hint{color:#474747;font-size:.9rem;margin:.15rem 0}.field-error{color:#a40000;font-weight:600;margin:.2rem 0}
button{font:inherit;font-weight:700;background:#1d4f7a;color:#fff;border:0;border-radius:.3rem;padding:.75rem 1.4rem;margin-top:1rem;cursor:pointer}
.box{background:#fff;border-left:5px solid #1d4f7a;padding:.6rem 1rem;margin:1rem 0}.warn{border-left-color:#a85400;background:#fff7ea}.err{border-left-color:#a40000;background:#fff0f0}.ok{border-left-color:#17633d;background:#eef7f1}
.big{font:700 1.5rem/1.3 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.04em;overflow-wrap:anywhere;margin:.2rem 0}.group{white-space:nowrap}
.action{display:block;background:#1d4f7a;color:#fff;font-weight:700;text-decoration:none;border-radius:.3rem;padding:.8rem 1rem;margin-top:1rem}
.messages{list-style:none;padding:0}.msg{background:#fff;border:1px solid #d6d6d0;border-radius:.4rem;padding:.5rem .8rem;margin:.6rem 0}.msg.mine{background:#eef3f8}.meta{font-size:.875rem;color:#4d4d4d;margin:0}.msg p{white-space:pre-wrap}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}footer{font-size:.875rem;color:#4d4d4d;border-top:1px solid #ccc;margin-top:2rem}
`;

const q = (t: Strings) => `?lang=${t.lang}`;

export function layout(t: Strings, title: string, body: Html, path: string): string {
  return (
    '<!doctype html>' +
    html`<html lang="${t.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><meta name="robots" content="noindex"><title>${title} · ${t.siteName}</title><style>${new Html(CSS + SWITCH_CSS)}</style></head>
<body><a class="skip" href="#main">${t.skip}</a><header><a class="brand" href="${paths.landing}${q(t)}">${t.siteName}</a>${languageSwitch(t, path)}</header>
<main id="main">${body}${reviewNotice(t)}</main><footer><p>${t.footer}</p><p><a href="/${q(t)}">${t.home}</a> · <a href="${paths.report}${q(t)}">${t.landingReport}</a> · <a href="${paths.follow}${q(t)}">${t.landingFollow}</a> · <a href="/quejas${q(t)}">${t.complaintLink}</a></p></footer></body></html>`.value
  );
}

// ---- form pieces ------------------------------------------------------------------------------

const errorId = (name: string) => `${name}-error`;
const fieldError = (errors: FormErrors, name: string) => (errors.fields[name] ? html`<p class="field-error" id="${errorId(name)}">${errors.fields[name]}</p>` : '');
/** aria-describedby (hint, then error) and aria-invalid for a field. */
function aria(errors: FormErrors, name: string, hintId: string | null): Html {
  const ids = [hintId ?? '', errors.fields[name] ? errorId(name) : ''].filter(Boolean).join(' ');
  return html`${ids ? html` aria-describedby="${ids}"` : ''}${errors.fields[name] ? html` aria-invalid="true"` : ''}`;
}
const hintOf = (name: string, hint?: string) => (hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : '');
const hintId = (name: string, hint?: string) => (hint ? `${name}-hint` : null);

type FieldOptions = { type?: string; hint?: string | undefined; attrs?: Html };

function input(values: FormValues, errors: FormErrors, name: string, label: string, o: FieldOptions = {}): Html {
  return html`<label for="${name}">${label}</label>${hintOf(name, o.hint)}${fieldError(errors, name)}<input type="${o.type ?? 'text'}" id="${name}" name="${name}" value="${one(values, name)}"${aria(errors, name, hintId(name, o.hint))}${o.attrs ?? ''}>`;
}

function textarea(values: FormValues, errors: FormErrors, name: string, label: string, max: number, hint?: string): Html {
  return html`<label for="${name}">${label}</label>${hintOf(name, hint)}${fieldError(errors, name)}<textarea id="${name}" name="${name}" maxlength="${max}"${aria(errors, name, hintId(name, hint))}>${one(values, name)}</textarea>`;
}

function select(values: FormValues, errors: FormErrors, name: string, label: string, choices: [string, string][], empty: string): Html {
  const chosen = one(values, name);
  return html`<label for="${name}">${label}</label>${fieldError(errors, name)}<select id="${name}" name="${name}"${aria(errors, name, null)}><option value="">${empty}</option>${choices.map(([value, text]) => html`<option value="${value}"${chosen === value ? html` selected` : ''}>${text}</option>`)}</select>`;
}

/** Radio buttons or check boxes in a group; the first one carries the field's id (the summary links to it). */
function choices(values: FormValues, errors: FormErrors, type: 'radio' | 'checkbox', name: string, legend: string, list: [string, string][], o: { fallback?: string; hint?: string } = {}): Html {
  const chosen = new Set(type === 'radio' ? [one(values, name) || o.fallback] : many(values, name));
  return html`<fieldset${aria(errors, name, hintId(name, o.hint))}><legend>${legend}</legend>${hintOf(name, o.hint)}${fieldError(errors, name)}${list.map(([value, text], i) => html`<label class="choice"><input type="${type}" name="${name}" id="${i ? `${name}-${i}` : name}" value="${value}"${chosen.has(value) ? html` checked` : ''}> ${text}</label>`)}</fieldset>`;
}

/** A range (from–to) of whole numbers: two short fields side by side sharing one hint. */
function range(values: FormValues, errors: FormErrors, legend: string, hint: string, low: [string, string], high: [string, string]): Html {
  const shared = `${low[0]}-hint`;
  const box = ([name, label]: [string, string]) => html`<div><label for="${name}">${label}</label>${fieldError(errors, name)}<input type="text" inputmode="numeric" pattern="[0-9]*" maxlength="3" id="${name}" name="${name}" value="${one(values, name)}"${aria(errors, name, shared)}></div>`;
  return html`<fieldset><legend>${legend}</legend><p class="hint" id="${shared}">${hint}</p><div class="pair">${box(low)}${box(high)}</div></fieldset>`;
}

/** Each field by its name, linked to its input (whose id is the field's name). */
const errorSummary = (t: Strings, errors: FormErrors) =>
  summaryBox(t.errorsTitle, errors.general, Object.entries(errors.fields).map(([name, message]) => ({ id: name, name: (t.fieldNames as Record<string, string>)[name] ?? name, message })));

const countryChoices = (t: Strings): [string, string][] =>
  Object.entries(countries)
    .filter(([code]) => code !== 'ZZZ')
    .map(([code]): [string, string] => [code, countryName(code, t.lang)])
    .sort((a, b) => a[1].localeCompare(b[1], t.lang));

// ---- pages ------------------------------------------------------------------------------------

export function landingPage(t: Strings): string {
  const body = html`<h1>${t.landingTitle}</h1><p>${t.landingIntro}</p>
<a class="action" href="${paths.report}${q(t)}">${t.landingReport}</a><p class="hint">${t.landingReportHint}</p>
<a class="action" href="${paths.follow}${q(t)}">${t.landingFollow}</a><p class="hint">${t.landingFollowHint}</p>
<div class="box"><strong>${t.privacyTitle}.</strong> ${t.privacyText}</div><p>${t.landingOther}</p>`;
  return layout(t, t.landingTitle, body, paths.landing);
}

/** Photos a family may add to a report, and their size: what the form offers is what the server takes. */
export const PHOTO_LIMITS = { count: 3, maxBytes: 5 * 1024 * 1024 };
export const PHOTO_FIELDS = new Set(Array.from({ length: PHOTO_LIMITS.count }, (_, i) => `photo${i + 1}`));

export function reportFormPage(t: Strings, values: FormValues, errors: FormErrors, photosDropped = false): string {
  const countriesList = countryChoices(t);
  const body = html`<h1>${t.formTitle}</h1><p>${t.formIntro}</p>
<div class="box"><strong>${t.privacyTitle}.</strong> ${t.privacyText}</div>
${errorSummary(t, errors)}${photosDropped ? html`<div class="box warn">${t.photosNotKept}</div>` : ''}
<form method="post" action="${paths.report}${q(t)}" enctype="multipart/form-data" novalidate>
<fieldset><legend>${t.personLegend}</legend><p class="hint">${t.namesHint}</p>
${input(values, errors, 'given_names', t.givenNamesLabel, { attrs: html` autocomplete="off" maxlength="100"` })}
${input(values, errors, 'surname1', t.surname1Label, { attrs: html` autocomplete="off" maxlength="100"` })}
${input(values, errors, 'surname2', t.surname2Label, { attrs: html` autocomplete="off" maxlength="100"` })}
${input(values, errors, 'other_names', t.otherNamesLabel, { hint: t.otherNamesHint, attrs: html` autocomplete="off"` })}
${choices(values, errors, 'radio', 'sex', t.sexLegend, Object.entries(t.sexes))}
${input(values, errors, 'date_of_birth', t.dateOfBirthLabel, { type: 'date', attrs: html` min="1900-01-01" max="${new Date().toISOString().slice(0, 10)}"` })}
${range(values, errors, t.ageLegend, t.rangeHint, ['age_min', t.ageFromLabel], ['age_max', t.ageToLabel])}
${select(values, errors, 'nationality', t.nationalityLabel, countriesList, t.countryNone)}
${select(values, errors, 'nationality2', t.nationality2Label, countriesList, t.countryNone)}
${choices(values, errors, 'checkbox', 'languages', t.languagesLegend, Object.entries(t.languageNames))}
</fieldset>
<fieldset><legend>${t.descriptionLegend}</legend>
${range(values, errors, t.heightLegend, t.heightHint, ['height_min_cm', t.heightFromLabel], ['height_max_cm', t.heightToLabel])}
${input(values, errors, 'build', t.buildLabel, { hint: t.buildHint, attrs: html` maxlength="100"` })}
${input(values, errors, 'hair', t.hairLabel, { attrs: html` maxlength="100"` })}
${input(values, errors, 'eyes', t.eyesLabel, { attrs: html` maxlength="100"` })}
${textarea(values, errors, 'marks', t.marksLabel, 2000, t.marksHint)}
${textarea(values, errors, 'clothing', t.clothingLabel, 2000)}
</fieldset>
<fieldset><legend>${t.lastSeenLegend}</legend>
${input(values, errors, 'last_seen_on', t.lastSeenOnLabel, { type: 'date', attrs: html` min="1900-01-01" max="${new Date().toISOString().slice(0, 10)}"` })}
${select(values, errors, 'last_seen_country', t.lastSeenCountryLabel, countriesList, t.countryNone)}
${select(values, errors, 'last_seen_state', t.lastSeenStateLabel, mxStateOptions, t.stateNone)}
${input(values, errors, 'last_seen_place', t.lastSeenPlaceLabel, { attrs: html` maxlength="300"` })}
${input(values, errors, 'route', t.routeLabel, { hint: t.routeHint, attrs: html` maxlength="300"` })}
${textarea(values, errors, 'circumstance', t.circumstanceLabel, 4000)}
</fieldset>
<fieldset><legend>${t.photosLegend}</legend><p class="hint" id="photos-hint">${fill(t.photosHint, { files: PHOTO_LIMITS.count, max: PHOTO_LIMITS.maxBytes / (1024 * 1024) })}</p>
${[...PHOTO_FIELDS].map((name, i) => html`<label for="${name}">${fill(t.photoLabel, { n: i + 1 })}</label><input type="file" id="${name}" name="${name}" accept="image/jpeg,image/png" aria-describedby="photos-hint">`)}
</fieldset>
<fieldset><legend>${t.reporterLegend}</legend><p class="hint">${t.reporterHint}</p>
${input(values, errors, 'reporter_name', t.reporterNameLabel, { attrs: html` autocomplete="off" maxlength="200"` })}
${select(values, errors, 'reporter_relationship', t.relationshipLabel, Object.entries(t.relationships), t.relationshipChoose)}
${input(values, errors, 'reporter_phone', t.phoneLabel, { type: 'tel', hint: t.contactHint, attrs: html` autocomplete="off" maxlength="30"` })}
${input(values, errors, 'reporter_email', t.emailLabel, { type: 'email', attrs: html` autocomplete="off" maxlength="254"` })}
${select(values, errors, 'reporter_country', t.reporterCountryLabel, countriesList, t.countryNone)}
</fieldset>
${choices(values, errors, 'radio', 'dna_reference_taken', t.dnaLegend, [['yes', t.dnaYes], ['no', t.dnaNo]], { fallback: 'no', hint: t.dnaHint })}
${input(values, errors, 'dna_custodian', t.dnaCustodianLabel, { hint: t.dnaCustodianHint, attrs: html` maxlength="200"` })}
<button type="submit">${t.submit}</button></form>`;
  return layout(t, t.formTitle, body, paths.report);
}

export function receiptPage(t: Strings, filed: { folio: string; receipt: string; photos?: number }, receivedBy: string | null): string {
  const body = html`<h1>${t.receiptTitle}</h1><p>${t.receiptIntro}</p>
${receivedBy ? html`<p>${t.receivedBy}: <strong>${receivedBy}</strong></p>` : ''}${filed.photos ? html`<p id="photos-received">${fill(t.photosReceived, { count: filed.photos })}</p>` : ''}
<div class="box"><p class="meta">${t.folioLabel}</p><p class="big" id="folio">${filed.folio}</p></div>
<div class="box warn"><p class="meta">${t.codeLabel}</p><p class="big" id="code">${digitGroups(formatReceipt(filed.receipt))}</p><p><strong>${t.codeWarning}</strong></p></div>
<form method="post" action="${paths.receiptPdf}${q(t)}"><input type="hidden" name="folio" value="${filed.folio}"><input type="hidden" name="code" value="${filed.receipt}">
<p>${t.pdfOffer}</p><button type="submit">${t.pdfButton}</button></form>
<p>${t.receiptNext}</p><p><a href="${paths.follow}${q(t)}">${t.followLink}</a></p>`;
  return layout(t, t.receiptTitle, body, paths.follow);
}

export function unavailablePage(t: Strings): string {
  const body = html`<h1>${t.unavailableTitle}</h1><div class="box warn" role="alert">${t.unavailableText}</div>
<p>${t.unavailableWhere}</p><ul>${t.unavailablePlaces.map((p) => html`<li>${p}</li>`)}</ul>
<p><a href="${paths.follow}${q(t)}">${t.landingFollow}</a></p>`;
  return layout(t, t.unavailableTitle, body, paths.report);
}

/**
 * Folio and access code. Sent back after a refusal, the folio keeps what the family typed; the code
 * field is always empty (a code is never echoed into a page).
 */
export function followFormPage(t: Strings, notice: FormErrors | string | null, values: { folio?: string } = {}): string {
  const errors = typeof notice === 'string' ? { general: [notice], fields: {} } : (notice ?? noErrors());
  const body = html`<h1>${t.followTitle}</h1><p>${t.followIntro}</p>
${errorSummary(t, errors)}
<form method="post" action="${paths.follow}${q(t)}">
<label for="folio">${t.folioLabel}</label>${fieldError(errors, 'folio')}<input type="text" id="folio" name="folio" value="${values.folio ?? ''}" autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="B-2026-XXXX-XXXX" maxlength="40" required${aria(errors, 'folio', null)}>
<label for="code">${t.codeInputLabel}</label>${fieldError(errors, 'code')}<input type="text" id="code" name="code" inputmode="numeric" autocomplete="off" maxlength="40" required${aria(errors, 'code', null)}>
<button type="submit">${t.followButton}</button></form>`;
  return layout(t, t.followTitle, body, paths.follow);
}

type FamilyView = Pick<FamilyReport, 'folio' | 'status' | 'reported_on' | 'messages'>;

export function statusPage(t: Strings, view: FamilyView, token: string, zone: string, notice: { ok?: string; error?: string; reply?: string } = {}): string {
  const when = (d: Date) => dateTimeInWords(d, t.lang, zone);
  const title = fill(t.statusTitle, { folio: view.folio });
  const body = html`<h1>${title}</h1>
${notice.ok ? html`<div class="box ok" role="status">${notice.ok}</div>` : ''}
<div class="box${view.status === 'active' ? '' : ' warn'}"><p><strong id="status">${t.statusText[view.status]}</strong></p>${view.status === 'active' ? html`<p>${t.activeDetail}</p>` : ''}</div>
<p class="meta">${fill(t.reportedOn, { date: dateInWords(view.reported_on, t.lang) })}</p>
<h2>${t.messagesTitle}</h2>
${view.messages.length ? html`<ol class="messages">${view.messages.map((m) => html`<li class="msg${m.author === 'family' ? ' mine' : ''}"><p class="meta">${m.author === 'family' ? t.fromFamily : t.fromOfficer} · ${when(m.at)}</p><p>${m.body}</p></li>`)}</ol>` : html`<p>${t.noMessages}</p>`}
<h2>${t.replyTitle}</h2>
<form method="post" action="${paths.reply}${q(t)}"><input type="hidden" name="token" value="${token}">
<label for="message">${t.replyLabel}</label><p class="hint" id="message-hint">${t.replyHint}</p>${notice.error ? html`<p class="field-error" id="message-error">${notice.error}</p>` : ''}
<textarea id="message" name="message" maxlength="4000" required aria-describedby="message-hint${notice.error ? ' message-error' : ''}"${notice.error ? html` aria-invalid="true"` : ''}>${notice.reply ?? ''}</textarea>
<button type="submit">${t.replyButton}</button></form>`;
  return layout(t, title, body, paths.follow);
}

export function messagePage(t: Strings, title: string, message: string, backHref: string): string {
  return layout(t, title, html`<h1>${title}</h1><div class="box err" role="alert">${message}</div><p><a href="${backHref}">${t.back}</a></p>`, paths.landing);
}
