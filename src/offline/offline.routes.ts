import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/http/app.ts';
import { actorOf } from '../platform/http/request-context.ts';
import { errorBody, errorResponses } from '../platform/http/schemas.ts';
import { AppError } from '../platform/errors.ts';
import { idempotencyKey, offlineResult, offlineSnapshot as snapshotView, offlineWrite } from './offline.schema.ts';
import { applyOfflineWrite, forgetOldOfflineWrites, offlineSnapshot } from './offline.service.ts';
import { startPeriodicTask, type PeriodicTask } from '../platform/jobs/periodic.ts';

export function offlineRoutes(scope: FastifyInstance, { db, cipher, config }: AppContext): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const tags = ['offline'];
  const settings = { offlineDays: config.offlineDays, attachmentMaxBytes: config.attachmentMaxBytes };

  app.post(
    '/api/v1/offline/writes',
    {
      // A photo travels as base64 (4 bytes for 3) inside the JSON.
      bodyLimit: Math.ceil(config.attachmentMaxBytes / 3) * 4 + 64 * 1024,
      schema: {
        tags,
        summary: 'Apply a write made offline, exactly once per Idempotency-Key (a repeat answers the first result; header Idempotent-Replayed: true)',
        headers: z.looseObject({ 'idempotency-key': z.string().optional().describe('chosen by the device for this write (16-100 letters, digits, - or _), the same on every retry') }),
        body: offlineWrite,
        response: { 201: offlineResult, ...errorResponses, 422: errorBody },
      },
    },
    async (request, reply) => {
      const key = idempotencyKey.safeParse(request.headers['idempotency-key']);
      if (!key.success) throw new AppError('idempotency_key_required');
      const { result, replayed } = await applyOfflineWrite(db, cipher, settings, actorOf(request), key.data, request.body);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(result);
    },
  );

  let retention: PeriodicTask | undefined;
  scope.addHook('onReady', async () => {
    retention = startPeriodicTask(async () => void (await forgetOldOfflineWrites(db, config.offlineDays)), { intervalMs: 3_600_000, onError: (error) => scope.log.warn({ err: error }, 'dropping old offline write keys failed; will retry') });
  });
  scope.addHook('onClose', async () => retention?.stop());

  app.get('/api/v1/offline/snapshot', { schema: { tags, summary: 'What a device keeps for working offline: recent cases the user may see, and their people', response: { 200: snapshotView, ...errorResponses } } }, async (request) =>
    offlineSnapshot(db, cipher, actorOf(request), config.offlineDays),
  );
}
