import type { FastifyRequest } from 'fastify';
import type { Actor } from '../auth/policy.ts';
import type { ResolvedSession } from '../auth/auth.service.ts';
import type { Language } from '../i18n/messages.ts';
import { AppError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    lang: Language;
    actor: Actor | null;
    session: ResolvedSession | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
    /** Reachable while the second factor is still pending (to complete or enrol it). */
    allowPendingMfa?: boolean;
  }
}

/** The signed-in actor; routes not marked public never run without one, so this only narrows the type. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated');
  return request.actor;
}

export function sessionOf(request: FastifyRequest): ResolvedSession {
  if (!request.session) throw new AppError('unauthenticated');
  return request.session;
}
