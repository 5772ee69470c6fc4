import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiAnswer } from '../api/client.ts';
import { useApi } from '../api/queries.ts';
import { navigate, paths, useLocation } from '../app/router.tsx';
import { useCan } from '../app/session.tsx';
import { complaintLabel } from '../complaints/shared.tsx';
import { countryName, formatDate, formatDateTime, label, type Lang } from '../ui/format.ts';
import { useDebounced, useLang } from '../ui/index.tsx';
import './HeaderSearch.css';

type Found = ApiAnswer<'/api/v1/find'>;
type Group = 'people' | 'cases' | 'complaints' | 'missing' | 'more';
/** One line of the result list: what opens, and the words that tell it apart from its namesakes. */
type Option = { key: string; group: Group; href: string; title: string; meta: string };
type T = (key: string, options?: Record<string, unknown>) => string;

const MIN_LENGTH = 2;
const optionId = (base: string, index: number) => `${base}-option-${index}`;
const GROUPS: Group[] = ['people', 'cases', 'complaints', 'missing', 'more'];

/** Every result as an option, in the order of the groups; the last one opens the case list filtered by the name. */
function optionsOf(found: Found, q: string, lang: Lang, t: T, mayListCases: boolean): Option[] {
  const people = found.people.map((p): Option => {
    const age = p.age == null ? null : t(p.age_is_estimate ? 'find:approxAge' : 'find:age', { age: p.age });
    const born = p.date_of_birth ? t('find:bornOn', { date: formatDate(p.date_of_birth, lang) }) : null;
    const meta = [label('sexes', p.sex, lang), age, born, p.nationalities.map((n) => countryName(n, lang)).join(', ')];
    return { key: `p-${p.id}`, group: 'people', href: paths.person(p.id), title: p.name, meta: meta.filter(Boolean).join(' · ') };
  });
  const cases = found.cases.map((c): Option => {
    const names = c.participants.map((p) => p.name).join(', ');
    return { key: `c-${c.id}`, group: 'cases', href: paths.case(c.id), title: c.folio, meta: [names, label('programmes', c.programme, lang), t(`status.${c.status}`, { defaultValue: c.status })].filter(Boolean).join(' · ') };
  });
  const complaints = found.complaints.map(
    (c): Option => ({
      key: `q-${c.id}`,
      group: 'complaints',
      href: paths.complaint(c.id),
      title: c.folio,
      meta: [complaintLabel('complaintKinds', c.kind, lang), complaintLabel('complaintStatuses', c.status, lang), t('find:receivedOn', { date: formatDateTime(c.received_at, lang) })].join(' · '),
    }),
  );
  const missing = found.missing.map(
    (m): Option => ({
      key: `m-${m.id}`,
      group: 'missing',
      href: m.kind === 'report' ? paths.missingReport(m.id) : paths.missingFound(m.id),
      title: [m.folio, m.name].filter(Boolean).join(' · '),
      meta: [t(`find:missingKind.${m.kind}`), t(`missing:status.${m.status}`, { defaultValue: m.status }), m.date ? formatDate(m.date, lang) : null].filter(Boolean).join(' · '),
    }),
  );
  const more: Option[] = found.understood.name && mayListCases && people.length + cases.length > 0 ? [{ key: 'more', group: 'more', href: `${paths.cases}?name=${encodeURIComponent(q)}`, title: t('find:allCases', { q }), meta: '' }] : [];
  return [...people, ...cases, ...complaints, ...missing, ...more];
}

/** Closes the box on a click elsewhere and when the page changes. */
function useCloseOnLeave(box: RefObject<HTMLDivElement | null>, open: boolean, close: () => void) {
  const { path } = useLocation();
  const closeRef = useRef(close);
  closeRef.current = close;
  useEffect(() => closeRef.current(), [path]);
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (box.current && !box.current.contains(event.target as Node)) closeRef.current();
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open, box]);
}

/**
 * The search box in the header: a combobox whose list groups people, case files, complaints and
 * missing-person records (what GET /api/v1/find lets this role see). Arrows move through the
 * options, Enter opens one, Escape closes the list (and, on a phone, the field).
 */
export function HeaderSearch() {
  const { t } = useTranslation(['find', 'missing']);
  const lang = useLang();
  const can = useCan();
  const [text, setText] = useState('');
  const [listOpen, setListOpen] = useState(false);
  // On a phone the field hides behind a button and opens across the whole header.
  const [expanded, setExpanded] = useState(false);
  const [active, setActive] = useState(-1);
  const box = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const id = useId();
  const q = useDebounced(text.trim(), 250);
  const ready = q.length >= MIN_LENGTH;
  const { data, isFetching } = useApi<Found>(ready ? '/api/v1/find' : null, { q, limit: 5 });
  const options = ready && data ? optionsOf(data, q, lang, t, can('cases.read')) : [];
  const results = options.filter((o) => o.group !== 'more').length;
  const showPopup = listOpen && ready && (!!data || isFetching);
  const showList = showPopup && options.length > 0;

  useEffect(() => setActive(-1), [q, data]);
  useCloseOnLeave(box, listOpen || expanded, () => {
    setListOpen(false);
    setExpanded(false);
  });
  useEffect(() => {
    if (expanded) input.current?.focus();
  }, [expanded]);
  useEffect(() => {
    if (active >= 0) document.getElementById(optionId(id, active))?.scrollIntoView({ block: 'nearest' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);

  if (!(['people.read', 'cases.read', 'complaints.handle', 'missing.record'] as const).some(can)) return null;

  const choose = (option: Option) => {
    setText('');
    setListOpen(false);
    setExpanded(false);
    navigate(option.href);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setListOpen(true);
      if (!options.length) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (current < 0 ? (step > 0 ? 0 : options.length - 1) : (current + step + options.length) % options.length));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const option = options[active] ?? (showList ? options[0] : undefined);
      if (option) choose(option);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (showPopup) setListOpen(false);
      else if (expanded) {
        setExpanded(false);
        toggle.current?.focus();
      } else setText('');
    }
  };

  return (
    <div className={`findbox${expanded ? ' is-expanded' : ''}`} ref={box}>
      <button type="button" ref={toggle} className="findbox__toggle" aria-expanded={expanded} aria-controls={`${id}-field`} onClick={() => setExpanded((e) => !e)}>
        <SearchIcon />
        <span className="visually-hidden">{expanded ? t('find:close') : t('find:open')}</span>
      </button>
      <div className="findbox__field" id={`${id}-field`} role="search">
        <label htmlFor={`${id}-input`} className="visually-hidden">
          {t('find:label')}
        </label>
        <SearchIcon />
        <input
          ref={input}
          className="findbox__input"
          id={`${id}-input`}
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          enterKeyHint="search"
          placeholder={t('find:placeholder')}
          aria-autocomplete="list"
          aria-expanded={showList}
          aria-controls={`${id}-list`}
          aria-activedescendant={showList && active >= 0 ? optionId(id, active) : undefined}
          aria-describedby={`${id}-hint`}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setListOpen(true);
          }}
          onFocus={() => setListOpen(true)}
          onKeyDown={onKeyDown}
        />
        <span id={`${id}-hint`} className="visually-hidden">
          {t('find:hint')}
        </span>
        <ResultPopup id={id} hidden={!showPopup} listHidden={!showList} options={options} active={active} setActive={setActive} choose={choose} status={!isFetching && data && results === 0 ? t('find:nothing', { q }) : isFetching && !data ? t('find:searching') : null} />
        <p className="visually-hidden" role="status">
          {showPopup && !isFetching && data ? (results ? t('find:found', { count: results }) : t('find:nothing', { q })) : ''}
        </p>
      </div>
    </div>
  );
}

/** The list of results, grouped by kind (each group named for screen readers), or a line saying there are none. */
function ResultPopup({ id, hidden, listHidden, options, active, setActive, choose, status }: { id: string; hidden: boolean; listHidden: boolean; options: Option[]; active: number; setActive: (index: number) => void; choose: (option: Option) => void; status: string | null }) {
  const { t } = useTranslation(['find']);
  let index = -1;
  return (
    <div className="findbox__popup" hidden={hidden}>
      <div id={`${id}-list`} role="listbox" aria-label={t('find:results')} hidden={listHidden}>
        {GROUPS.map((group) => {
          const members = options.filter((o) => o.group === group);
          if (!members.length) return null;
          return (
            <div role="group" aria-label={t(`find:groups.${group}`)} key={group} className="findbox__group">
              {group !== 'more' && (
                <div className="findbox__group-name" aria-hidden="true">
                  {t(`find:groups.${group}`)}
                </div>
              )}
              {members.map((option) => {
                index += 1;
                const mine = index;
                return (
                  <div
                    key={option.key}
                    id={optionId(id, mine)}
                    role="option"
                    aria-selected={mine === active}
                    className={`findbox__option${mine === active ? ' is-active' : ''}${group === 'more' ? ' findbox__option--more' : ''}`}
                    onPointerDown={(e) => e.preventDefault()}
                    onPointerMove={() => setActive(mine)}
                    onClick={() => choose(option)}
                  >
                    <span className="findbox__title">{option.title}</span>
                    {option.meta && <span className="findbox__meta">{option.meta}</span>}
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
      {status && <p className="findbox__empty">{status}</p>}
    </div>
  );
}

function SearchIcon() {
  return (
    <svg className="findbox__icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" strokeWidth="2.2" />
      <path d="M15.5 15.5 21 21" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
    </svg>
  );
}
