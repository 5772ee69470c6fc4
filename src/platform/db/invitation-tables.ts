import type { Generated } from 'kysely';
import type { Role } from './database.ts';

// Invitations to an institution (migration 0031, src/users/invitation.service.ts); `Database` extends this interface.

export interface InvitationTable {
  id: Generated<string>;
  /** SHA-256 of the link's token: the token itself is shown once, to the administrator. */
  token_hash: string;
  email: string;
  display_name: string;
  institution_id: string;
  role: Role;
  preferred_language: 'es' | 'en';
  created_by: string | null;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
  accepted_by: string | null;
}

export interface InvitationTables {
  invitations: InvitationTable;
}
