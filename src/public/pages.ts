import { html, type Html } from '../platform/html.ts';
import { dateInWords } from '../platform/dates.ts';
import { countries } from '../statistics/geography.ts';
import { areaStrings, countryName, fill, type PublicLanguage } from './i18n.ts';
import { siteLayout, type SiteStrings } from './layout.ts';
import { renderMarkup, withLanguage } from './markup.ts';
import type { SiteSettings } from './site.service.ts';
import type { InformationPage } from './information.service.ts';
import type { GuideAnswers, GuideResult } from './guide.ts';

/**
 * The home, the privacy notice, the information pages and the guide: escaped templates, one inline
 * style sheet (layout.ts), no script. Texts written by staff (information pages, the notice) are in
 * Spanish; on a page in another language they carry `lang="es"` and a line that says so.
 */
type Site = { operatorName: string; hasLogo: boolean };
const siteOf = (settings: SiteSettings): Site => ({ operatorName: settings.operator_name, hasLogo: settings.has_logo });
const q = (t: { lang: string }) => `?lang=${t.lang}`;
const spanishOnly = (t: SiteStrings) => (t.lang === 'es' ? '' : html`<p class="box">${t.spanishOnly}</p>`);
const inSpanish = (t: SiteStrings) => (t.lang === 'es' ? '' : html` lang="es"`);

/** A WhatsApp number as a link to its chat (digits only, as wa.me wants them). */
const whatsappLink = (number: string) => `https://wa.me/${number.replace(/\D/g, '')}`;

export function homePage(lang: PublicLanguage, settings: SiteSettings): string {
  const t = areaStrings('home', lang);
  const door = (href: string, title: string, hint: string) => html`<li><a href="${href}${q(t)}"><strong>${title}</strong>${hint}</a></li>`;
  const contact = [
    settings.phone ? html`<dt>${t.phone}</dt><dd><a href="tel:${settings.phone.replace(/[^\d+]/g, '')}">${settings.phone}</a></dd>` : '',
    settings.whatsapp ? html`<dt>${t.whatsapp}</dt><dd><a href="${whatsappLink(settings.whatsapp)}">${settings.whatsapp}</a></dd>` : '',
    settings.address ? html`<dt>${t.address}</dt><dd>${settings.address}</dd>` : '',
  ].filter(Boolean);
  const body = html`<h1>${t.title}</h1><p>${t.intro}</p>
<h2 id="doors">${t.doorsTitle}</h2>
<ul class="doors" aria-labelledby="doors">
${door('/servicios', t.doorServices, t.doorServicesHint)}
${door('/informacion', t.doorInformation, t.doorInformationHint)}
${door('/quejas', t.doorComplaint, t.doorComplaintHint)}
${door('/familias/busqueda', t.doorSearch, t.doorSearchHint)}
</ul>
<p><strong>${t.free}</strong></p>
<section class="box" aria-labelledby="operator"><h2 id="operator">${t.runBy} ${settings.operator_name}</h2>
${contact.length ? html`<dl class="contact">${contact}</dl>` : ''}</section>
<h2>${t.privacyTitle}</h2><p>${t.privacySummary} <a href="/aviso-de-privacidad${q(t)}">${t.privacyLink}</a></p>`;
  return siteLayout(t, siteOf(settings), t.title, body, '/');
}

export function privacyPage(lang: PublicLanguage, settings: SiteSettings, notice: string): string {
  const t = areaStrings('home', lang);
  const body = html`<h1>${t.privacyTitle}</h1><p>${t.privacySummary}</p>${spanishOnly(t)}<div class="content"${inSpanish(t)}>${withLanguage(renderMarkup(notice), t.lang)}</div>`;
  return siteLayout(t, siteOf(settings), t.privacyTitle, body, '/aviso-de-privacidad');
}

function pageList(t: SiteStrings, pages: Pick<InformationPage, 'slug' | 'title' | 'summary'>[]): Html {
  return html`<ul class="pages"${inSpanish(t)}>${pages.map((p) => html`<li><a href="/informacion/${p.slug}${q(t)}">${p.title}</a>${p.summary ? html`<br><span class="hint">${p.summary}</span>` : ''}</li>`)}</ul>`;
}

export function informationIndexPage(lang: PublicLanguage, settings: SiteSettings, pages: InformationPage[]): string {
  const t = areaStrings('home', lang);
  const i = areaStrings('information', lang);
  const body = html`<h1>${i.title}</h1><p>${i.intro}</p><p><a href="/informacion/guia${q(t)}"><strong>${i.guideLink}</strong></a></p>${spanishOnly(t)}${pageList(t, pages)}`;
  return siteLayout(t, siteOf(settings), i.title, body, '/informacion');
}

export function informationPage(lang: PublicLanguage, settings: SiteSettings, page: InformationPage): string {
  const t = areaStrings('home', lang);
  const i = areaStrings('information', lang);
  const body = html`<div${inSpanish(t)}><h1>${page.title}</h1></div>
<p class="meta">${fill(i.reviewedOn, { date: dateInWords(page.reviewed_on, lang) })}</p>${spanishOnly(t)}
<div class="content"${inSpanish(t)}>${withLanguage(renderMarkup(page.body), t.lang)}</div>
<p class="hint">${i.disclaimer}</p>
<h2>${i.sources}</h2><p class="meta"${inSpanish(t)}>${page.sources}</p>
<p><a href="/informacion${q(t)}">${i.allPages}</a> · <a href="/informacion/guia${q(t)}">${i.guideLink}</a></p>`;
  return siteLayout(t, siteOf(settings), page.title, body, `/informacion/${page.slug}`);
}

export function informationNotFoundPage(lang: PublicLanguage, settings: SiteSettings): string {
  const t = areaStrings('home', lang);
  const i = areaStrings('information', lang);
  return siteLayout(t, siteOf(settings), i.notFound, html`<h1>${i.notFound}</h1><p><a href="/informacion${q(t)}">${i.allPages}</a></p>`, '/informacion');
}

/** The guide: a form sent by GET (nothing is stored, the answers live in the address) and, once answered, what applies. */
export function guidePage(lang: PublicLanguage, settings: SiteSettings, answers: GuideAnswers, result: GuideResult | null, query: string): string {
  const t = areaStrings('home', lang);
  const i = areaStrings('information', lang);
  const nationalities = Object.keys(countries)
    .filter((code) => code !== 'ZZZ')
    .map((code) => [code, countryName(code, lang)] as const)
    .sort((a, b) => a[1].localeCompare(b[1], lang));
  const situations = Object.entries(i.situations) as [GuideAnswers['situations'][number], string][];
  const body = html`<h1>${i.guideTitle}</h1><p>${i.guideIntro}</p>
<form method="get" action="/informacion/guia"><input type="hidden" name="lang" value="${lang}">
<label for="nacionalidad">${i.nationalityLabel}</label><select id="nacionalidad" name="nacionalidad"><option value="">${i.nationalityNone}</option>${nationalities.map(([code, name]) => html`<option value="${code}"${answers.nationality === code ? html` selected` : ''}>${name}</option>`)}</select>
<fieldset><legend>${i.ageLegend}</legend>
<label class="choice"><input type="radio" name="edad" value="menor"${answers.age === 'child' ? html` checked` : ''}> ${i.ageChild}</label>
<label class="choice"><input type="radio" name="edad" value="adulta"${answers.age === 'adult' ? html` checked` : ''}> ${i.ageAdult}</label></fieldset>
<fieldset><legend>${i.situationLegend}</legend>
${situations.map(([key, text]) => html`<label class="choice"><input type="checkbox" name="situacion" value="${key}"${answers.situations.includes(key) ? html` checked` : ''}> ${text}</label>`)}</fieldset>
<button type="submit">${i.guideSubmit}</button></form>
${result ? guideResult(t, i, result) : ''}`;
  return siteLayout(t, siteOf(settings), i.guideTitle, body, '/informacion/guia', query);
}

function guideResult(t: SiteStrings, i: ReturnType<typeof areaStrings<'information'>>, result: GuideResult): Html {
  if (!result.pages.length) return html`<section aria-labelledby="results" class="box"><h2 id="results">${i.guideResults}</h2><p>${i.guideNothing}</p></section>`;
  return html`<section aria-labelledby="results"><h2 id="results">${i.guideResults}</h2>
${result.child ? html`<p class="box">${i.guideChildNote}</p>` : ''}${spanishOnly(t)}${pageList(t, result.pages)}
<p><a href="${result.servicesHref}"><strong>${i.guideServices}</strong></a></p></section>`;
}
