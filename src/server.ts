import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp, registerModules, type AppContext } from './platform/http/app.ts';
import { modules } from './modules.ts';

export async function createServer(context: AppContext, options: { logger?: FastifyServerOptions['logger'] } = {}): Promise<FastifyInstance> {
  const app = await buildApp(context, options);
  await registerModules(app, context, modules);
  return app;
}
