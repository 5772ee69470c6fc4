import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../platform/crypto/sha256.ts';
import type { Db } from '../platform/db/database.ts';
import { appendAudit } from '../platform/audit/audit.ts';
import { AppError } from '../platform/errors.ts';
import type { Actor } from '../platform/auth/policy.ts';
import { resetPassword } from './user.service.ts';

const RESET_LINK_HOURS = 24;

/**
 * A one-time link for a user to choose a new password, valid for a day, instead of a password that an
 * administrator would read and pass on. Earlier unused links of the user stop working. The caller has
 * checked that the actor may manage the user.
 */
export async function createResetLink(db: Db, actor: Actor, userId: string): Promise<{ token: string; expires_at: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + RESET_LINK_HOURS * 3600_000);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('password_reset_links').where('user_id', '=', userId).where('used_at', 'is', null).execute();
    await trx.insertInto('password_reset_links').values({ token_hash: sha256Hex(token), user_id: userId, created_by: actor.userId, expires_at: expires }).execute();
    await appendAudit(trx, { institutionId: actor.institutionId, actorUserId: actor.userId, action: 'password.reset_link_created', recordType: 'user', recordId: userId, ip: actor.ip });
  });
  return { token, expires_at: expires };
}

/** The user follows the link: a new password of their choice, the lock-out cleared, every session ended. */
export async function resetWithLink(db: Db, token: string, newPassword: string): Promise<void> {
  const claimed = await db
    .updateTable('password_reset_links')
    .set({ used_at: new Date() })
    .where('token_hash', '=', sha256Hex(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('user_id')
    .executeTakeFirst();
  if (!claimed) throw new AppError('reset_link_invalid');
  await resetPassword(db, null, claimed.user_id, null, newPassword);
}
