/**
 * The device's own duplicate check, against the people it holds: a shared given name and a shared
 * surname, and no different date of birth. Cruder than the server's engine (src/search), which checks
 * again, against the whole institution, when the person arrives (docs/offline.md).
 */
type Named = { given_names: string; surname1: string | null; surname2: string | null; date_of_birth: string | null };

const words = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-zñ]+/)
    .filter((w) => w.length > 1);

export function possibleDuplicates<P extends Named>(candidate: Named, people: P[]): P[] {
  const given = words(candidate.given_names);
  const surnames = words(`${candidate.surname1 ?? ''} ${candidate.surname2 ?? ''}`);
  return people.filter((p) => {
    const theirSurnames = words(`${p.surname1 ?? ''} ${p.surname2 ?? ''}`);
    const sharesGiven = given.some((g) => words(p.given_names).includes(g));
    const sharesSurname = surnames.length === 0 || theirSurnames.length === 0 || surnames.some((s) => theirSurnames.includes(s));
    const otherBirth = candidate.date_of_birth && p.date_of_birth && candidate.date_of_birth !== p.date_of_birth;
    return sharesGiven && sharesSurname && !otherBirth;
  });
}
