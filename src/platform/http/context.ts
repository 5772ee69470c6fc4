import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import type { FieldCipher } from '../crypto/field-encryption.ts';
import type { Config } from '../config.ts';

/** What every feature module's routes receive (the database, the field cipher, the validated configuration). */
export type AppContext = { db: Db; cipher: FieldCipher; config: Config };
export type App = FastifyInstance & { withTypeProvider: FastifyInstance['withTypeProvider'] };
/** A feature module's routes: one entry of src/modules.ts. */
export type ModuleRoutes = (app: FastifyInstance, context: AppContext) => void | Promise<void>;
