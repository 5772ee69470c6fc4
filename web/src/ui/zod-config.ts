import { z } from 'zod';

// zod probes `new Function` when it builds an object schema, to compile fast parsers; the app's
// Content-Security-Policy (no 'unsafe-eval') refuses that and reports it. This module is imported
// before any schema is built (see rules.ts); the forms' few checks need no compiling.
z.config({ jitless: true });
