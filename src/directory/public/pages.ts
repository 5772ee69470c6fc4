import { html, Html } from '../../platform/html.ts';
import { mxStateList, mxStateOptions } from '../../platform/mx-states.ts';
import { dateInWords } from '../../platform/dates.ts';
import { areaStrings, fill, type AreaStrings, type PublicLanguage } from '../../public/i18n.ts';
import { languageSwitch, reviewNotice, SWITCH_CSS } from '../../public/layout.ts';
import { places } from '../places.ts';
import { languages, weekdays } from '../vocabularies.ts';
import type { publicSearch, publicService } from '../search.service.ts';

/**
 * The directory's public pages: escaped templates (`html`), one small inline style sheet, no script,
 * no external resource, no map (a phone on a slow connection gets words and links: address, how to get
 * there, phone numbers as tel: links). Texts in five languages (the `directory` area of
 * src/public/locales); the language switch and the review notice are the other public pages' own.
 */
export const BASE = '/servicios';

export type Strings = AreaStrings<'directory'>;
export const directoryStrings = (lang: PublicLanguage): Strings => areaStrings('directory', lang);

const CSS = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1b1b;background:#f7f6f2}
header,main,footer{max-width:44rem;margin:0 auto;padding:.75rem 1rem}header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem 1rem;border-bottom:3px solid #1d4f7a}
.brand{font-weight:700;color:#1d4f7a;text-decoration:none}a{color:#0b4f8a}h1{font-size:1.4rem;line-height:1.25}h2{font-size:1.15rem;margin:1.4rem 0 .3rem}
form{background:#fff;border:1px solid #c6c4bb;border-radius:.4rem;padding:.25rem .9rem 1rem}fieldset{border:0;margin:0;padding:0}legend{font-weight:600;margin:.75rem 0 .2rem;padding:0}
label{display:block;margin:.75rem 0 .2rem;font-weight:600}.check{display:flex;gap:.5rem;align-items:center;font-weight:400}.check input{width:1.2rem;height:1.2rem;flex:none}fieldset .check{margin:.3rem 0}
input[type=text],input[type=search],select{width:100%;font:inherit;padding:.5rem;border:1px solid #6b6b6b;border-radius:.3rem;background:#fff;color:inherit}
.pair{display:flex;flex-wrap:wrap;gap:0 1rem}.pair>div{flex:1 1 14rem}.hint{color:#474747;font-size:.9rem;margin:.15rem 0}
button{font:inherit;font-weight:700;background:#1d4f7a;color:#fff;border:0;border-radius:.3rem;padding:.75rem 1.4rem;margin-top:1rem;cursor:pointer}
.box{background:#fff;border-left:5px solid #1d4f7a;padding:.6rem 1rem;margin:1rem 0}.warn{border-left-color:#a85400;background:#fff7ea}.ok{border-left-color:#17633d;background:#eef7f1}
.results{list-style:none;padding:0}.card{background:#fff;border:1px solid #d6d6d0;border-radius:.4rem;padding:.6rem .9rem;margin:.7rem 0}.card h3{margin:0;font-size:1.1rem}.meta{font-size:.9rem;color:#4d4d4d;margin:.2rem 0}
.tag{display:inline-block;background:#eef3f8;border-radius:.2rem;padding:0 .35rem;margin:0 .3rem .2rem 0;font-size:.875rem}.beds{font-weight:700;color:#17633d}.full{font-weight:700;color:#8a1c1c}
.pager{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap;margin:1rem 0}dl{margin:0}dt{font-weight:600}dd{margin:0 0 .5rem}ul.plain{padding-left:1.2rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}footer{font-size:.875rem;color:#4d4d4d;border-top:1px solid #ccc;margin-top:2rem}
`;

const q = (t: Strings) => `?lang=${t.lang}`;

export function layout(t: Strings, title: string, body: Html, path: string, query = ''): string {
  return (
    '<!doctype html>' +
    html`<html lang="${t.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>${title} · ${t.siteName}</title><style>${new Html(CSS + SWITCH_CSS)}</style></head>
<body><a class="skip" href="#main">${t.skip}</a><header><a class="brand" href="${BASE}${q(t)}">${t.siteName}</a>${languageSwitch(t, path, query)}</header>
<main id="main">${body}${reviewNotice(t)}</main><footer><p>${t.footer}</p><p><a href="/${q(t)}">${t.home}</a> · <a href="/quejas${q(t)}">${t.complaintLink}</a> · <a href="/familias/busqueda${q(t)}">${t.familyLink}</a></p></footer></body></html>`.value
  );
}

/** A taxonomy term: its code and the names the database holds (staff may add terms the locale files do not name yet). */
export type Category = { code: string; es: string; en: string };
export function categoryLabel(t: Strings, categories: Category[], code: string): string {
  const named = (t.categories as Record<string, string>)[code];
  if (named) return named;
  const c = categories.find((x) => x.code === code);
  return c ? (t.lang === 'es' ? c.es : c.en) : code;
}
const languageLabel = (t: Strings, code: string) => (languages as Record<string, Record<PublicLanguage, string>>)[code]?.[t.lang] ?? code;
/** What an institution wrote about its service is in Spanish: said so to screen readers on pages in another language. */
const inSpanish = (t: Strings) => (t.lang === 'es' ? '' : html` lang="es"`);
const stateName = (code: string) => mxStateList.find((s) => s.code === code)?.name ?? code;

/**
 * The search form's values as they came (strings), for refilling the form and building links. The
 * address's names are the guide's (docs/public.md): `categoria` (repeatable: any of them), `edad`
 * (years, or `menor`/`adulta`), `idioma` (ISO 639-3), and `palabras`, `estado`, `municipio`, `cerca`,
 * `camas`, `pagina`.
 */
export type SearchValues = { words: string; categories: string[]; state: string; municipality: string; language: string; age: string; ageGroup: '' | 'menor' | 'adulta'; near: string; beds: boolean };

export function searchQueryString(v: SearchValues, page?: number): string {
  const p = new URLSearchParams();
  if (v.words) p.set('palabras', v.words);
  for (const c of v.categories) p.append('categoria', c);
  const single = { estado: v.state, municipio: v.municipality, idioma: v.language, edad: v.age || v.ageGroup, cerca: v.near };
  for (const [key, value] of Object.entries(single)) if (value) p.set(key, value);
  if (v.beds) p.set('camas', '1');
  if (page && page > 1) p.set('pagina', String(page));
  return p.toString();
}

function select(name: string, label: string, empty: string, options: Array<[string, string]>, chosen: string, hint?: string): Html {
  return html`<label for="${name}">${label}</label>${hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : ''}<select id="${name}" name="${name}"${hint ? html` aria-describedby="${name}-hint"` : ''}><option value="">${empty}</option>${options.map(([value, text]) => html`<option value="${value}"${value === chosen ? html` selected` : ''}>${text}</option>`)}</select>`;
}

/** One category: a list to pick from; several (the guide asks for more than one): a box for each. */
function categoryField(t: Strings, categories: Category[], chosen: string[]): Html {
  const options = categories.map((c): [string, string] => [c.code, categoryLabel(t, categories, c.code)]).sort((a, b) => a[1].localeCompare(b[1], t.lang));
  if (chosen.length <= 1) return select('categoria', t.categoryLabel, t.anyCategory, options, chosen[0] ?? '');
  return html`<fieldset><legend>${t.categoriesLegend}</legend>${options.map(([code, text]) => html`<label class="check"><input type="checkbox" name="categoria" value="${code}"${chosen.includes(code) ? html` checked` : ''}> ${text}</label>`)}</fieldset>`;
}

/** Towns grouped by state, in the order of the states' names. */
function placeSelect(name: string, label: string, empty: string, chosen: string, hint?: string): Html {
  const states = [...new Set(places.map((p) => p.state))].map((code) => ({ code, name: stateName(code) })).sort((a, b) => a.name.localeCompare(b.name, 'es'));
  const byState = (code: string) => places.filter((p) => p.state === code).sort((a, b) => a.name.localeCompare(b.name, 'es'));
  return html`<label for="${name}">${label}</label>${hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : ''}<select id="${name}" name="${name}"${hint ? html` aria-describedby="${name}-hint"` : ''}><option value="">${empty}</option>${states.map((s) => html`<optgroup label="${s.name}">${byState(s.code).map((p) => html`<option value="${p.code}"${p.code === chosen ? html` selected` : ''}>${p.name}</option>`)}</optgroup>`)}</select>`;
}

type SearchResult = Awaited<ReturnType<typeof publicSearch>>;

function bedsLine(t: Strings, r: { capacity_available: number | null; capacity_maximum: number | null; capacity_updated_at: Date | null }): Html | '' {
  if (r.capacity_maximum === null && r.capacity_available === null) return '';
  const when = r.capacity_updated_at ? html` <span class="meta">(${fill(t.bedsUpdated, { date: dateInWords(r.capacity_updated_at.toISOString().slice(0, 10), t.lang) })})</span>` : '';
  if ((r.capacity_available ?? 0) > 0) return html`<p class="beds">${fill(t.bedsFree, { available: r.capacity_available ?? 0, maximum: r.capacity_maximum ?? '?' })}${when}</p>`;
  return html`<p class="full">${fill(t.bedsFull, { maximum: r.capacity_maximum ?? '?' })}${when}</p>`;
}

export function searchPage(t: Strings, values: SearchValues, categories: Category[], result: SearchResult, notices: string[]): string {
  const query = searchQueryString(values);
  const link = (page: number) => `${BASE}?lang=${t.lang}&${searchQueryString(values, page)}`;
  const countText = result.total === 1 ? t.resultsOne : fill(t.results, { count: result.total });
  const body = html`<h1>${t.searchTitle}</h1><p>${t.searchIntro}</p>
<form method="get" action="${BASE}" role="search"><input type="hidden" name="lang" value="${t.lang}">
<label for="palabras">${t.wordsLabel}</label><p class="hint" id="palabras-hint">${t.wordsHint}</p><input type="search" id="palabras" name="palabras" value="${values.words}" maxlength="200" aria-describedby="palabras-hint">
<div class="pair"><div>${categoryField(t, categories, values.categories)}</div>
<div>${select('idioma', t.languageLabel, t.anyLanguage, Object.keys(languages).map((code) => [code, languageLabel(t, code)]), values.language)}</div></div>
<div class="pair"><div>${select('estado', t.stateLabel, t.anyState, mxStateOptions, values.state)}</div>
<div>${placeSelect('municipio', t.municipalityLabel, t.anyMunicipality, values.municipality)}</div></div>
<div class="pair"><div><label for="edad">${t.ageLabel}</label><p class="hint" id="edad-hint">${t.ageHint}</p><input type="text" inputmode="numeric" pattern="[0-9]*" maxlength="3" id="edad" name="edad" value="${values.age}" aria-describedby="edad-hint">
${values.ageGroup ? html`<label class="check"><input type="checkbox" name="edad" value="${values.ageGroup}" checked> ${values.ageGroup === 'menor' ? t.ageChild : t.ageAdult}</label>` : ''}</div>
<div>${placeSelect('cerca', t.nearLabel, t.nearNone, values.near, t.nearHint)}</div></div>
<label class="check"><input type="checkbox" id="camas" name="camas" value="1"${values.beds ? html` checked` : ''}> ${t.bedsLabel}</label>
<button type="submit">${t.searchButton}</button></form>
${notices.map((n) => html`<p class="box warn">${n}</p>`)}
<h2 id="results-title">${countText}</h2>
${result.total === 0 ? html`<p>${t.noResults}</p>` : ''}
<ul class="results" aria-labelledby="results-title">${result.items.map(
    (r) => html`<li class="card"><h3><a href="${BASE}/${r.id}${q(t)}">${r.name}</a></h3><p class="meta">${r.organization} · ${r.city}, ${stateName(r.state_code)}${r.km !== null && result.near ? html` · <strong>${fill(t.distance, { km: Math.round(r.km), place: result.near.name })}</strong>` : ''}</p>
<p>${r.categories.map((c) => html`<span class="tag">${categoryLabel(t, categories, c)}</span>`)}${r.free ? html`<span class="tag">${t.free}</span>` : ''}</p>${bedsLine(t, r)}${r.languages.length ? html`<p class="meta">${t.languagesTitle}: ${r.languages.map((l) => languageLabel(t, l)).join(', ')}</p>` : ''}${r.stale ? html`<p class="meta">⚠ ${t.stale}</p>` : ''}</li>`,
  )}</ul>
${result.pages > 1 ? html`<nav class="pager" aria-label="${t.pages}">${result.page > 1 ? html`<a href="${link(result.page - 1)}" rel="prev">${t.previous}</a>` : html`<span></span>`}<span>${fill(t.pageOf, { page: result.page, pages: result.pages })}</span>${result.page < result.pages ? html`<a href="${link(result.page + 1)}" rel="next">${t.next}</a>` : html`<span></span>`}</nav>` : ''}`;
  return layout(t, t.searchTitle, body, BASE, query);
}

// ---- the service page -------------------------------------------------------------------------

/** "lunes a viernes", "lunes, miércoles y viernes", "todos los días". */
export function daysInWords(t: Strings, days: string[]): string {
  const idx = days.map((d) => weekdays.indexOf(d as (typeof weekdays)[number])).filter((i) => i >= 0).sort((a, b) => a - b);
  if (idx.length === 7) return t.everyDay;
  const name = (i: number) => t.weekdays[weekdays[i]!];
  const consecutive = idx.length >= 3 && idx.every((d, i) => i === 0 || d === idx[i - 1]! + 1);
  if (consecutive) return fill(t.dayRange, { first: name(idx[0]!), last: name(idx[idx.length - 1]!) });
  const names = idx.map(name);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} ${t.and} ${names[names.length - 1]}` : (names[0] ?? '');
}

const clock = (time: string) => time.slice(0, 5).replace(/^0(\d)/, '$1');

export function hoursInWords(t: Strings, schedules: Array<{ byday: string; opens_at: string; closes_at: string; description: string | null }>): string[] {
  return schedules.map((s) => {
    const days = daysInWords(t, s.byday.split(','));
    const allDay = s.opens_at.startsWith('00:00') && s.closes_at.startsWith('23:59');
    const words = allDay ? `${days}, ${t.allDay}` : fill(t.hours, { days, opens: clock(s.opens_at), closes: clock(s.closes_at) });
    const sentence = words.charAt(0).toUpperCase() + words.slice(1);
    return s.description ? `${sentence} (${s.description})` : `${sentence}.`;
  });
}

type ServiceDetail = NonNullable<Awaited<ReturnType<typeof publicService>>>;

function ageWords(t: Strings, min: number | null, max: number | null): string {
  if (min !== null && max !== null) return fill(t.ages, { min, max });
  if (min !== null) return fill(t.agesFrom, { min });
  if (max !== null) return fill(t.agesTo, { max });
  return t.anyAge;
}

export function servicePage(t: Strings, s: ServiceDetail, categories: Category[]): string {
  const hours = hoursInWords(t, s.schedules);
  const body = html`<p><a href="${BASE}${q(t)}">← ${t.backToSearch}</a></p>
<h1>${s.name}</h1><p class="meta">${fill(t.offeredBy, { organization: s.organization })}</p>
${s.status !== 'active' ? html`<p class="box warn">${t.closedNotice}</p>` : ''}${s.alert ? html`<p class="box warn"${inSpanish(t)}>${s.alert}</p>` : ''}
${s.stale ? html`<p class="box warn">${t.stale}</p>` : ''}
<p>${s.categories.map((c) => html`<span class="tag">${categoryLabel(t, categories, c)}</span>`)}</p>
${s.description ? html`<p${inSpanish(t)}>${s.description}</p>` : ''}
${s.capacity_maximum !== null || s.capacity_available !== null ? html`<h2>${t.capacityTitle}</h2>${bedsLine(t, s)}` : ''}
<h2>${t.howToGetThere}</h2>${s.locations.map(
    (l) => html`<p>${l.name ? html`<strong>${l.name}</strong><br>` : ''}${l.address_1}<br>${l.city}, ${stateName(l.state_code)}${l.postal_code ? html`<br>${fill(t.postalCode, { code: l.postal_code })}` : ''}</p>${l.transportation ? html`<p${inSpanish(t)}>${l.transportation}</p>` : ''}`,
  )}
<h2>${t.hoursTitle}</h2>${hours.length ? html`<ul class="plain">${hours.map((h) => html`<li>${h}</li>`)}</ul>` : html`<p>${t.noHours}</p>`}
<h2>${t.phonesTitle}</h2>${s.phones.length ? html`<ul class="plain">${s.phones.map((p) => html`<li><a href="tel:${p.number.replace(/[^+0-9]/g, '')}">${p.number}</a> · ${(t.phoneTypes as Record<string, string>)[p.type] ?? p.type}${p.description ? html` · <span${inSpanish(t)}>${p.description}</span>` : ''}</li>`)}</ul>` : html`<p>${t.noPhones}</p>`}
<h2>${t.languagesTitle}</h2><p>${s.languages.length ? s.languages.map((l) => languageLabel(t, l)).join(', ') : t.noLanguages}</p>
<h2>${t.whoTitle}</h2><p>${ageWords(t, s.minimum_age, s.maximum_age)}${s.eligibility_description ? html` <span${inSpanish(t)}>${s.eligibility_description}</span>` : ''}</p>
<h2>${t.bringTitle}</h2>${s.required_documents.length ? html`<ul class="plain"${inSpanish(t)}>${s.required_documents.map((d) => html`<li>${d}</li>`)}</ul>` : html`<p>${t.bringNothing}</p>`}
<h2>${t.costTitle}</h2><p>${s.free ? t.free : t.notFree}${s.fees_description ? html`. <span${inSpanish(t)}>${s.fees_description}</span>` : ''}</p>
${s.application_process ? html`<h2>${t.howToAsk}</h2><p${inSpanish(t)}>${s.application_process}</p>` : ''}
<p class="meta">${s.verified_on ? fill(t.verified, { date: dateInWords(s.verified_on, t.lang) }) : t.neverVerified}</p>
<div class="box"><h2>${t.complainTitle}</h2><p>${t.complainText}</p><p><a href="/quejas${q(t)}">${t.complainLink}</a></p></div>`;
  return layout(t, s.name, body, `${BASE}/${s.id}`);
}

export function messagePage(t: Strings, title: string, text: string): string {
  return layout(t, title, html`<h1>${title}</h1><p>${text}</p><p><a href="${BASE}${q(t)}">${t.backToSearch}</a></p>`, BASE);
}
