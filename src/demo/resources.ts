import type { Db } from '../platform/db/database.ts';
import type { Actor } from '../platform/auth/policy.ts';
import { isoDaysAfter, localDate } from '../platform/dates.ts';
import { correctOperation, createPoint, recordOperation } from '../resources/resources.service.ts';

/**
 * Programme resources in the demo: CEAV's migrant unit keeps three attention points (Tapachula, Nogales,
 * Mexico City), one of them closed last month, recorded by its administrator through the module
 * (src/resources), so `/administracion/programas` shows points in operation and today's totals. Its
 * caseworker records the rescues (with the Nogales point, on the northern border) and transfers (by
 * road from Tapachula, by air from Sonora) of the last six weeks, up to last week, and its supervisor
 * corrects one count with a reason, so `/rescates-y-traslados` shows totals and a history.
 */
export async function loadResourcesDemo(
  db: Db,
  options: { institutionId: string; administratorId: string; caseworkerId: string; supervisorId: string; now?: Date },
): Promise<{ points: number; operations: number }> {
  const today = localDate(options.now ?? new Date());
  const as = (userId: string, role: Actor['role']): Actor => ({ userId, institutionId: options.institutionId, role, isPlatformAdmin: false, ip: null });
  const admin = as(options.administratorId, 'administrator');
  const points = [
    { name: 'Punto de atención Tapachula', kind: 'contact_point' as const, municipalities: ['07089', '07087'], staff: 6, staff_role: 'staff' as const, active_from: isoDaysAfter(today, -420) },
    { name: 'Punto de atención Nogales', kind: 'contact_point' as const, municipalities: ['26043'], staff: 4, staff_role: 'staff' as const, active_from: isoDaysAfter(today, -200) },
    { name: 'Brigada móvil Ciudad de México', kind: 'service_point' as const, municipalities: ['09015', '09007'], staff: 3, staff_role: 'volunteer' as const, active_from: isoDaysAfter(today, -300), active_to: isoDaysAfter(today, -30) },
  ];
  const [tapachula, nogales] = await Promise.all(points.slice(0, 2).map((point) => createPoint(db, admin, point)));
  await createPoint(db, admin, points[2]!);

  const caseworker = as(options.caseworkerId, 'caseworker');
  const day = (daysAgo: number) => isoDaysAfter(today, -daysAgo);
  const operations = [
    { kind: 'rescue' as const, point_id: nogales!.id, occurred_on: day(40), people: 23 },
    { kind: 'transfer' as const, mode: 'road' as const, point_id: tapachula!.id, occurred_on: day(33), people: 41 },
    { kind: 'rescue' as const, point_id: nogales!.id, occurred_on: day(26), people: 17 },
    { kind: 'transfer' as const, mode: 'air' as const, state: '26', occurred_on: day(19), people: 6 },
    { kind: 'rescue' as const, point_id: nogales!.id, occurred_on: day(12), people: 9 },
    { kind: 'transfer' as const, mode: 'road' as const, point_id: tapachula!.id, occurred_on: day(8), people: 35 },
  ];
  const recorded = [];
  for (const operation of operations) recorded.push(await recordOperation(db, caseworker, operation));
  await correctOperation(db, as(options.supervisorId, 'supervisor'), recorded[4]!.id, { people: 12, reason: 'Eran 12 personas: el primer reporte contó solo a las adultas.' });
  return { points: points.length, operations: operations.length };
}
