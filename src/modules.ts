import type { ModuleRoutes } from './platform/http/app.ts';
import { authRoutes } from './platform/auth/auth.routes.ts';

/** Every feature module's routes, in one list: adding a module is one line here. */
export const modules: ModuleRoutes[] = [authRoutes];
