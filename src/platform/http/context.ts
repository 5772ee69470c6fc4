import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/database.ts';
import type { FieldCipher } from '../crypto/field-encryption.ts';
import type { Config } from '../config.ts';

/** What every feature module's routes receive (the database, the field cipher, the validated configuration). */
export type AppContext = { db: Db; cipher: FieldCipher; config: Config };
export type App = FastifyInstance & { withTypeProvider: FastifyInstance['withTypeProvider'] };
/** A feature module's routes: one entry of src/modules.ts. */
export type ModuleRoutes = (app: FastifyInstance, context: AppContext) => void | Promise<void>;
/**
 * The instance a group of routes registers on, zod schemas typing requests and replies: what
 * `scope.withTypeProvider<ZodTypeProvider>()` returns, so a module can hand it to named route groups.
 */
export type RouteApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;
