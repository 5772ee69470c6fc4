/** A person's name as written in lists, letters and receipts: given names, then the surnames stated. */
export const fullName = (p: { given_names: string | null; surname1: string | null; surname2: string | null }): string =>
  [p.given_names, p.surname1, p.surname2].filter(Boolean).join(' ');
