import type { Db } from '../platform/db/database.ts';
import { isoDaysAfter, localDate } from '../platform/dates.ts';
import { createPoint } from '../resources/resources.service.ts';

/**
 * Programme points in the demo: CEAV's migrant unit keeps three attention points (Tapachula, Nogales,
 * Mexico City), one of them closed last month, recorded by its administrator through the module
 * (src/resources), so `/administracion/programas` shows points in operation and today's totals.
 */
export async function loadResourcesDemo(db: Db, options: { institutionId: string; administratorId: string; now?: Date }): Promise<{ points: number }> {
  const today = localDate(options.now ?? new Date());
  const actor = { userId: options.administratorId, institutionId: options.institutionId, role: 'administrator' as const, isPlatformAdmin: false, ip: null };
  const points = [
    { name: 'Punto de atención Tapachula', kind: 'contact_point' as const, municipalities: ['07089', '07087'], staff: 6, staff_role: 'staff' as const, active_from: isoDaysAfter(today, -420) },
    { name: 'Punto de atención Nogales', kind: 'contact_point' as const, municipalities: ['26043'], staff: 4, staff_role: 'staff' as const, active_from: isoDaysAfter(today, -200) },
    { name: 'Brigada móvil Ciudad de México', kind: 'service_point' as const, municipalities: ['09015', '09007'], staff: 3, staff_role: 'volunteer' as const, active_from: isoDaysAfter(today, -300), active_to: isoDaysAfter(today, -30) },
  ];
  for (const point of points) await createPoint(db, actor, point);
  return { points: points.length };
}
