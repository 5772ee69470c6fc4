import { digitGroups, errorSummary as summaryBox, html, Html } from '../../platform/html.ts';
import { dateTimeInWords } from '../../platform/dates.ts';
import { mxStateOptions } from '../../platform/mx-states.ts';
import { fill, type Strings } from './strings.ts';
import { publicLimits } from '../../platform/limits/anonymous.ts';
import { ACCEPTED_UPLOADS } from '../../platform/files/uploads.ts';
import { languageSwitch, reviewNotice, SWITCH_CSS } from '../../public/layout.ts';
import type { ComplainantView, Received } from '../intake.service.ts';

type LabelList = keyof Strings['labels'];
const label = (list: LabelList, key: string, t: Strings) => (t.labels[list] as Record<string, string>)[key] ?? key;

const CSS = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1a1a1a;background:#f6f6f3}
header,main,footer{max-width:40rem;margin:0 auto;padding:.75rem 1rem}header{display:flex;justify-content:space-between;align-items:center;gap:1rem;border-bottom:3px solid #0b5d3b}
header a{color:#0b5d3b;font-weight:600}.brand{font-weight:700;text-decoration:none}a{color:#0b4f8a}h1{font-size:1.4rem;line-height:1.25}h2{font-size:1.15rem;margin-top:1.5rem}
fieldset{border:1px solid #c8c8c0;border-radius:.4rem;margin:1rem 0;padding:.5rem .9rem 1rem;background:#fff}legend{font-weight:600;padding:0 .3rem}
label{display:block;margin:.75rem 0 .2rem;font-weight:600}.choice{font-weight:400;display:flex;gap:.5rem;align-items:flex-start;margin:.4rem 0}.choice input{margin-top:.3rem}
input[type=text],input[type=email],input[type=tel],input[type=date],select,textarea{width:100%;font:inherit;padding:.5rem;border:1px solid #777;border-radius:.3rem;background:#fff}
textarea{min-height:10rem}.hint{color:#4a4a4a;font-size:.9rem;margin:.2rem 0}.field-error{color:#a40000;font-weight:600;font-size:.95rem}
button{font:inherit;font-weight:700;background:#0b5d3b;color:#fff;border:0;border-radius:.3rem;padding:.7rem 1.4rem;margin-top:1rem;cursor:pointer}
.box{background:#fff;border-left:5px solid #0b5d3b;padding:.6rem 1rem;margin:1rem 0}.warn{border-left-color:#b35c00;background:#fff8ec}.err{border-left-color:#a40000;background:#fff0f0}
.big{font:700 1.5rem/1.3 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.05em;overflow-wrap:anywhere}.group{white-space:nowrap}[aria-invalid=true]{border:2px solid #a40000}.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;word-break:break-all}
.msg{background:#fff;border:1px solid #ddd;border-radius:.4rem;padding:.5rem .8rem;margin:.6rem 0}.msg.mine{background:#eef6f1}.meta{font-size:.85rem;color:#555}.tag{background:#b35c00;color:#fff;border-radius:.2rem;padding:0 .3rem;font-size:.8rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}footer{font-size:.85rem;color:#555;border-top:1px solid #ccc;margin-top:2rem}
`;

export function layout(t: Strings, title: string, body: Html, path: string): string {
  return (
    '<!doctype html>' +
    html`<html lang="${t.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><meta name="robots" content="noindex"><title>${title} · ${t.siteName}</title><style>${new Html(CSS + SWITCH_CSS)}</style></head>
<body><a class="skip" href="#main">${t.skip}</a><header><a class="brand" href="/quejas?lang=${t.lang}">${t.siteName}</a>${languageSwitch(t, path)}</header>
<main id="main">${body}${reviewNotice(t)}</main><footer><p>${t.footer}</p><p><a href="/?lang=${t.lang}">${t.home}</a> · <a href="/quejas?lang=${t.lang}">${t.formTitle}</a> · <a href="/quejas/seguimiento?lang=${t.lang}">${t.followTitle}</a> · <a href="/familias/busqueda?lang=${t.lang}">${t.familySearch}</a></p></footer></body></html>`.value
  );
}

export type FormErrors = { general: string[]; fields: Record<string, string> };
export const noErrors = (): FormErrors => ({ general: [], fields: {} });

const fieldError = (errors: FormErrors, name: string) => (errors.fields[name] ? html`<p class="field-error" id="${name}-error">${errors.fields[name]}</p>` : '');
const describedBy = (errors: FormErrors, name: string, hint = false) => {
  const ids = [hint ? `${name}-hint` : '', errors.fields[name] ? `${name}-error` : ''].filter(Boolean).join(' ');
  return html`${ids ? html` aria-describedby="${ids}"` : ''}${errors.fields[name] ? html` aria-invalid="true"` : ''}`;
};

/** Each field by its name, linked to its input (whose id is the field's name; a radio group's first radio). */
const errorSummary = (t: Strings, errors: FormErrors) =>
  summaryBox(t.errorsTitle, errors.general, Object.entries(errors.fields).map(([name, message]) => ({ id: name, name: (t.fieldNames as Record<string, string>)[name] ?? name, message })));

function options(entries: [string, string][], selected: string | undefined, empty?: string): Html {
  return html`${empty !== undefined ? html`<option value="">${empty}</option>` : ''}${entries.map(([key, text]) => html`<option value="${key}"${selected === key ? html` selected` : ''}>${text}</option>`)}`;
}
const labelled = (list: LabelList, t: Strings): [string, string][] => Object.keys(t.labels[list]).map((key) => [key, label(list, key, t)]);

/** Radios of one group: the first carries the group's name as id, so that the error summary can link to it. */
const radio = (name: string, value: string, i: number, checked: boolean, text: string) =>
  html`<label class="choice"><input type="radio" name="${name}" id="${i ? `${name}-${i}` : name}" value="${value}"${checked ? html` checked` : ''}> ${text}</label>`;

function text(name: string, labelText: string, values: Record<string, string>, errors: FormErrors, type = 'text', extra: Html | string = ''): Html {
  return html`<label for="${name}">${labelText}</label>${fieldError(errors, name)}<input type="${type}" id="${name}" name="${name}" value="${values[name] ?? ''}"${describedBy(errors, name)}${extra}>`;
}

export function formPage(t: Strings, values: Record<string, string>, errors: FormErrors, maxMb: number, filesDropped = false): string {
  const anonymous = values.anonymous ?? 'yes';
  const kind = values.kind ?? 'grievance';
  const body = html`<h1>${t.formTitle}</h1><p>${t.formIntro}</p>
<div class="box"><strong>${t.privacyTitle}.</strong> ${t.privacyText}</div>
${errorSummary(t, errors)}${filesDropped ? html`<div class="box warn">${t.filesNotKept}</div>` : ''}
<form method="post" action="/quejas?lang=${t.lang}" enctype="multipart/form-data" novalidate>
<fieldset><legend>${t.kindLegend}</legend><p class="hint">${t.kindHint}</p>${fieldError(errors, 'kind')}
${Object.keys(t.labels.kinds).map((key, i) => radio('kind', key, i, kind === key, label('kinds', key, t)))}</fieldset>
<label for="narrative">${t.narrativeLabel}</label><p class="hint" id="narrative-hint">${t.narrativeHint}</p>${fieldError(errors, 'narrative')}
<textarea id="narrative" name="narrative" required maxlength="20000"${describedBy(errors, 'narrative', true)}>${values.narrative ?? ''}</textarea>
${text('occurred_on', t.whenLabel, values, errors, 'date', html` max="${new Date().toISOString().slice(0, 10)}" placeholder="aaaa-mm-dd"`)}
<fieldset><legend>${t.whereLegend}</legend>
<label for="state_code">${t.stateLabel}</label>${fieldError(errors, 'state_code')}<select id="state_code" name="state_code"${describedBy(errors, 'state_code')}>${options(mxStateOptions, values.state_code, t.stateNone)}</select>
${text('municipality', t.municipalityLabel, values, errors)}
<label for="place_type">${t.placeTypeLabel}</label>${fieldError(errors, 'place_type')}<select id="place_type" name="place_type"${describedBy(errors, 'place_type')}>${options(labelled('placeTypes', t), values.place_type ?? 'unknown')}</select>
${text('place_description', t.placeDescriptionLabel, values, errors)}</fieldset>
<fieldset><legend>${t.authorityLegend}</legend>
<label for="authority_type">${t.authorityTypeLabel}</label>${fieldError(errors, 'authority_type')}<select id="authority_type" name="authority_type"${describedBy(errors, 'authority_type')}>${options(labelled('authorityTypes', t), values.authority_type ?? 'unknown')}</select>
${text('authority_name', t.authorityNameLabel, values, errors)}
${text('official_description', t.officialLabel, values, errors)}
${text('badge_number', t.badgeLabel, values, errors)}
${text('vehicle_number', t.vehicleLabel, values, errors)}</fieldset>
<fieldset><legend>${t.anonymityLegend}</legend>
${radio('anonymous', 'yes', 0, anonymous === 'yes', t.anonymousYes)}
${radio('anonymous', 'no', 1, anonymous === 'no', t.anonymousNo)}</fieldset>
<fieldset><legend>${t.contactLegend}</legend><p class="hint">${t.contactHint}</p>
${text('contact_name', t.nameLabel, values, errors, 'text', html` autocomplete="off"`)}
${text('contact_phone', t.phoneLabel, values, errors, 'tel', html` autocomplete="off"`)}
${text('contact_email', t.emailLabel, values, errors, 'email', html` autocomplete="off"`)}
${text('contact_other', t.otherContactLabel, values, errors, 'text', html` autocomplete="off"`)}</fieldset>
${fileFields(t, maxMb, values.strip_metadata !== 'no')}
<button type="submit">${t.submit}</button></form>`;
  return layout(t, t.formTitle, body, '/quejas');
}

/** 1..n: one file input per file the server accepts. */
const fileNumbers = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/**
 * The file inputs of the complaint form and of the reply form: as many as the server takes, the
 * types it accepts (what `accept` offers and the hint says are what the content check lets in) and
 * the size, from the same limits the server applies.
 */
function fileFields(t: Strings, maxMb: number, strip: boolean): Html {
  return html`<fieldset><legend>${t.filesLegend}</legend><p class="hint" id="files-hint">${fill(t.filesHint, { max: maxMb, files: publicLimits.filesPerSubmission, audio: ACCEPTED_UPLOADS.audioNames })}</p>
${fileNumbers(publicLimits.filesPerSubmission).map((n) => html`<label for="file${n}">${fill(t.fileLabel, { n })}</label><input type="file" id="file${n}" name="file${n}" accept="${ACCEPTED_UPLOADS.accept}" aria-describedby="files-hint">`)}
<label class="choice"><input type="checkbox" name="strip_metadata" value="yes"${strip ? html` checked` : ''}> ${t.stripLabel}</label></fieldset>`;
}

function metadataNote(t: Strings, file: Received['attachments'][number], stripRequested: boolean): string {
  if (file.media_type !== 'image/jpeg' && file.media_type !== 'image/png') return t.metadataNotPossible;
  if (!stripRequested) return t.metadataKept;
  return file.metadata_removed?.length ? fill(t.metadataRemoved, { what: file.metadata_removed.join(', ') }) : t.metadataNone;
}

export function receiptPage(t: Strings, received: Received, token: string, stripRequested: boolean, zone: string): string {
  const kind = label('kinds', received.kind, t).toLowerCase();
  const body = html`<h1>${fill(t.receiptTitle, { kind })}</h1><p>${t.receiptIntro}</p>
<div class="box"><p>${t.folioLabel}</p><p class="big" id="folio">${received.folio}</p></div>
<div class="box warn"><p>${t.receiptLabel}</p><p class="big" id="receipt">${digitGroups(received.receipt_formatted)}</p><p><strong>${t.receiptWarning}</strong></p></div>
<p>${t.receivedAt}: <span id="received-at">${dateTimeInWords(received.received_at, t.lang, zone)}</span> · ${t.channelLabel}: ${label('channels', received.channel, t)}</p>
${received.attachments.length ? html`<h2>${t.filesReceived}</h2><ul>${received.attachments.map((f) => html`<li>${f.filename} (${Math.ceil(f.size_bytes / 1024)} KB): ${metadataNote(t, f, stripRequested)}</li>`)}</ul>` : ''}
<h2>${t.acuseTitle}</h2><p>${fill(t.acuseIntro, { kind })}</p>
<form method="post" action="/quejas/acuse?lang=${t.lang}"><input type="hidden" name="token" value="${token}"><input type="hidden" name="receipt" value="${received.receipt}">
<label class="choice"><input type="checkbox" name="include_receipt" value="yes"> ${t.acuseIncludeReceipt}</label><button type="submit">${t.acuseButton}</button></form>
<p><a href="/quejas/seguimiento?lang=${t.lang}">${t.followLink}</a> · <a href="/quejas?lang=${t.lang}">${t.newComplaint}</a></p>`;
  return layout(t, fill(t.receiptTitle, { kind }), body, '/quejas');
}

/**
 * Folio and receipt. Sent back after a refusal, the folio keeps what the person typed (it is hers, and
 * shows nothing she did not write); the receipt field is always empty, never echoed into the page.
 */
export function followFormPage(t: Strings, values: { folio?: string }, errors: FormErrors | string | null): string {
  const problems = typeof errors === 'string' ? { general: [errors], fields: {} } : (errors ?? noErrors());
  const body = html`<h1>${t.followTitle}</h1><p>${t.followIntro}</p>
${errorSummary(t, problems)}
<form method="post" action="/quejas/seguimiento?lang=${t.lang}">
<label for="folio">${t.folioLabel}</label>${fieldError(problems, 'folio')}<input type="text" id="folio" name="folio" value="${values.folio ?? ''}" autocomplete="off" autocapitalize="characters" placeholder="Q-2026-XXXX-XXXX" required${describedBy(problems, 'folio')}>
<label for="receipt">${t.receiptInputLabel}</label>${fieldError(problems, 'receipt')}<input type="text" id="receipt" name="receipt" inputmode="numeric" autocomplete="off" required${describedBy(problems, 'receipt')}>
<button type="submit">${t.followButton}</button></form>`;
  return layout(t, t.followTitle, body, '/quejas/seguimiento');
}

export function statusPage(t: Strings, view: ComplainantView, token: string, zone: string, maxMb: number, notice: { ok?: string; errors?: FormErrors; reply?: string } = {}): string {
  const date = (d: Date) => dateTimeInWords(d, t.lang, zone);
  const body = html`<h1>${fill(t.statusTitle, { folio: view.folio })}</h1>
${notice.ok ? html`<div class="box" role="status">${notice.ok}</div>` : ''}
<p><strong>${t.statusLabel}:</strong> <span id="status">${label('statuses', view.status, t)}</span> (${t.statusSince} ${date(view.status_changed_at)})</p>
<p class="meta">${label('kinds', view.kind, t)} · ${t.channelLabel}: ${label('channels', view.channel, t)} · ${t.receivedAt}: ${date(view.received_at)}</p>
${view.open_question ? html`<div class="box warn">${t.openQuestion}</div>` : ''}
<h2>${t.messagesTitle}</h2>
${view.messages.length ? view.messages.map((m) => html`<div class="msg${m.direction === 'from_complainant' ? ' mine' : ''}"><p class="meta">${m.direction === 'from_complainant' ? t.fromYou : t.fromUnit} · ${date(m.created_at)} ${m.is_question ? html`<span class="tag">${t.question}</span>` : ''}</p><p style="white-space:pre-wrap">${m.body}</p>${m.files.length ? html`<p class="meta">${m.files.join(', ')}</p>` : ''}</div>`) : html`<p>${t.noMessages}</p>`}
${view.files.length ? html`<h2>${t.yourFiles}</h2><ul>${view.files.map((f) => html`<li>${f.filename} (${Math.ceil(f.size_bytes / 1024)} KB)</li>`)}</ul>` : ''}
<h2>${t.replyTitle}</h2>${notice.errors ? errorSummary(t, notice.errors) : ''}
<form method="post" action="/quejas/seguimiento/responder?lang=${t.lang}" enctype="multipart/form-data">
<input type="hidden" name="token" value="${token}">
<label for="message">${t.replyLabel}</label>${notice.errors ? fieldError(notice.errors, 'message') : ''}<textarea id="message" name="message" maxlength="10000" required${notice.errors ? describedBy(notice.errors, 'message') : ''}>${notice.reply ?? ''}</textarea>
${fileFields(t, maxMb, true)}
<button type="submit">${t.replyButton}</button></form>
<form method="post" action="/quejas/acuse?lang=${t.lang}"><input type="hidden" name="token" value="${token}"><button type="submit">${t.acuseAgain}</button></form>`;
  return layout(t, fill(t.statusTitle, { folio: view.folio }), body, '/quejas/seguimiento');
}

export function messagePage(t: Strings, title: string, message: string, backHref: string): string {
  return layout(t, title, html`<h1>${title}</h1><div class="box err" role="alert">${message}</div><p><a href="${backHref}">${t.back}</a></p>`, '/quejas');
}
