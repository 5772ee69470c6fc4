import { html, Html } from '../platform/html.ts';
import { locales, PUBLIC_LANGUAGES, type AreaStrings, type PublicLanguage } from './i18n.ts';

/**
 * The language switch of every public page: the other four languages, each named in itself and
 * linking to the same page with `?lang=` (plus the page's own query, e.g. the guide's answers).
 */
export function languageSwitch(t: { lang: PublicLanguage; languagesNav: string }, path: string, query = ''): Html {
  const others = PUBLIC_LANGUAGES.filter((lang) => lang !== t.lang);
  const extra = query ? `&${query}` : '';
  return html`<nav class="langs" aria-label="${t.languagesNav}"><ul>${others.map((lang) => html`<li><a href="${path}?lang=${lang}${extra}" hreflang="${lang}" lang="${lang}">${locales[lang].common.languageName}</a></li>`)}</ul></nav>`;
}

/** Said on every page of a language no native speaker has checked yet (meta.reviewedByNativeSpeaker). */
export function reviewNotice(t: { lang: PublicLanguage; notReviewed: string }): Html | '' {
  return locales[t.lang].meta.reviewedByNativeSpeaker ? '' : html`<p class="review" lang="${t.lang}">${t.notReviewed}</p>`;
}

/** Rules shared by the public pages' style sheets: the switch as a wrapping list. */
export const SWITCH_CSS = `.langs ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .9rem}.langs a{display:inline-block;padding:.2rem 0}.review{font-size:.85rem;color:#4d4d4d}`;

const CSS = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1b1b;background:#f7f6f2}
header,main,footer{max-width:46rem;margin:0 auto;padding:.75rem 1rem}header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem 1rem;border-bottom:3px solid #3a2f6b}
.brand{font-weight:700;color:#3a2f6b;text-decoration:none;display:flex;align-items:center;gap:.5rem}.brand img{max-height:2.5rem;width:auto}a{color:#0b4f8a}h1{font-size:1.5rem;line-height:1.25}h2{font-size:1.15rem;margin-top:1.5rem}
.doors{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.8rem}.doors a{display:block;background:#fff;border:2px solid #3a2f6b;border-radius:.5rem;padding:.8rem 1rem;text-decoration:none;color:#1b1b1b;height:100%}
.doors strong{display:block;color:#3a2f6b;font-size:1.15rem}.doors a:focus,.doors a:hover{background:#f0edf9}
.box{background:#fff;border-left:5px solid #3a2f6b;padding:.6rem 1rem;margin:1rem 0}.meta{font-size:.9rem;color:#4d4d4d}.hint{color:#474747;font-size:.9rem}
dl.contact{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.contact dt{font-weight:600}dl.contact dd{margin:0;overflow-wrap:anywhere}
fieldset{border:1px solid #c6c4bb;border-radius:.4rem;margin:1rem 0;padding:.5rem .9rem 1rem;background:#fff}legend{font-weight:700;padding:0 .3rem}
label{display:block;margin:.5rem 0 .2rem;font-weight:600}.choice{font-weight:400;display:flex;gap:.5rem;align-items:flex-start;margin:.35rem 0}.choice input{margin-top:.3rem;width:1.1rem;height:1.1rem;flex:none}
select{width:100%;font:inherit;padding:.5rem;border:1px solid #6b6b6b;border-radius:.3rem;background:#fff;color:inherit}
button{font:inherit;font-weight:700;background:#3a2f6b;color:#fff;border:0;border-radius:.3rem;padding:.75rem 1.4rem;margin-top:1rem;cursor:pointer}
.content{background:#fff;border:1px solid #ddd;border-radius:.4rem;padding:.2rem 1rem}.content p,.content li{overflow-wrap:anywhere}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}footer{font-size:.875rem;color:#4d4d4d;border-top:1px solid #ccc;margin-top:2rem}footer .staff{color:#4d4d4d}
`;

export type SiteStrings = AreaStrings<'home'>;

/**
 * The frame of the home, the privacy notice and the information pages: the operator's name (and
 * logo) as the brand, the language switch, and a footer with the four doors, the privacy notice and
 * the discreet staff link. No script, one inline style sheet.
 */
export function siteLayout(t: SiteStrings, site: { operatorName: string; hasLogo: boolean }, title: string, body: Html, path: string, query = ''): string {
  const q = `?lang=${t.lang}`;
  return (
    '<!doctype html>' +
    html`<html lang="${t.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>${title} · ${site.operatorName}</title><style>${new Html(CSS + SWITCH_CSS)}</style></head>
<body><a class="skip" href="#main">${t.skip}</a><header><a class="brand" href="/${q}">${site.hasLogo ? html`<img src="/portada/logo" alt="" width="40" height="40">` : ''}<span>${site.operatorName}</span></a>${languageSwitch(t, path, query)}</header>
<main id="main">${body}${reviewNotice(t)}</main>
<footer><p><a href="/${q}">${t.home}</a> · <a href="/servicios${q}">${t.doorServices}</a> · <a href="/informacion${q}">${t.doorInformation}</a> · <a href="/quejas${q}">${t.doorComplaint}</a> · <a href="/familias/busqueda${q}">${t.doorSearch}</a></p>
<p><a href="/aviso-de-privacidad${q}">${t.privacyLink}</a> · <a class="staff" href="/personal">${t.staffLink}</a></p></footer></body></html>`.value
  );
}
