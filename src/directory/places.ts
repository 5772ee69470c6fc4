/**
 * Towns of the directory: the municipality (INEGI's five-digit code: state + municipality), its seat's
 * name as people say it, and the approximate coordinates of the town centre (decimal degrees, WGS 84,
 * rounded to about 1 km; written from public knowledge of where these towns are, no map service). The
 * list covers the states of the southern and northern borders, where migrants ask for services, and
 * the capital; distances in the public search are measured between these points.
 */
export type Place = { code: string; state: string; name: string; lat: number; lon: number };

export const places: readonly Place[] = [
  // Chiapas
  { code: '07089', state: '07', name: 'Tapachula', lat: 14.906, lon: -92.263 },
  { code: '07087', state: '07', name: 'Ciudad Hidalgo (Suchiate)', lat: 14.679, lon: -92.15 },
  { code: '07040', state: '07', name: 'Huixtla', lat: 15.139, lon: -92.464 },
  { code: '07009', state: '07', name: 'Arriaga', lat: 16.236, lon: -93.899 },
  { code: '07097', state: '07', name: 'Tonalá', lat: 16.089, lon: -93.752 },
  { code: '07101', state: '07', name: 'Tuxtla Gutiérrez', lat: 16.753, lon: -93.116 },
  { code: '07078', state: '07', name: 'San Cristóbal de las Casas', lat: 16.737, lon: -92.638 },
  { code: '07019', state: '07', name: 'Comitán', lat: 16.252, lon: -92.134 },
  { code: '07034', state: '07', name: 'Frontera Comalapa', lat: 15.662, lon: -92.136 },
  { code: '07065', state: '07', name: 'Palenque', lat: 17.509, lon: -91.983 },
  // Tabasco
  { code: '27004', state: '27', name: 'Villahermosa', lat: 17.987, lon: -92.93 },
  { code: '27017', state: '27', name: 'Tenosique', lat: 17.473, lon: -91.424 },
  // Campeche
  { code: '04002', state: '04', name: 'Campeche', lat: 19.845, lon: -90.524 },
  { code: '04009', state: '04', name: 'Escárcega', lat: 18.61, lon: -90.737 },
  // Quintana Roo
  { code: '23004', state: '23', name: 'Chetumal', lat: 18.5, lon: -88.296 },
  { code: '23005', state: '23', name: 'Cancún', lat: 21.162, lon: -86.852 },
  // Baja California
  { code: '02004', state: '02', name: 'Tijuana', lat: 32.515, lon: -117.038 },
  { code: '02002', state: '02', name: 'Mexicali', lat: 32.625, lon: -115.452 },
  { code: '02001', state: '02', name: 'Ensenada', lat: 31.867, lon: -116.596 },
  // Sonora
  { code: '26043', state: '26', name: 'Nogales', lat: 31.309, lon: -110.942 },
  { code: '26030', state: '26', name: 'Hermosillo', lat: 29.073, lon: -110.956 },
  { code: '26002', state: '26', name: 'Agua Prieta', lat: 31.327, lon: -109.549 },
  { code: '26055', state: '26', name: 'San Luis Río Colorado', lat: 32.456, lon: -114.772 },
  // Chihuahua
  { code: '08037', state: '08', name: 'Ciudad Juárez', lat: 31.69, lon: -106.425 },
  { code: '08019', state: '08', name: 'Chihuahua', lat: 28.635, lon: -106.089 },
  { code: '08052', state: '08', name: 'Ojinaga', lat: 29.567, lon: -104.417 },
  // Coahuila
  { code: '05025', state: '05', name: 'Piedras Negras', lat: 28.7, lon: -100.524 },
  { code: '05002', state: '05', name: 'Ciudad Acuña', lat: 29.324, lon: -100.932 },
  { code: '05030', state: '05', name: 'Saltillo', lat: 25.423, lon: -100.996 },
  // Nuevo León
  { code: '19039', state: '19', name: 'Monterrey', lat: 25.687, lon: -100.316 },
  // Tamaulipas
  { code: '28027', state: '28', name: 'Nuevo Laredo', lat: 27.486, lon: -99.507 },
  { code: '28032', state: '28', name: 'Reynosa', lat: 26.092, lon: -98.278 },
  { code: '28022', state: '28', name: 'Matamoros', lat: 25.87, lon: -97.503 },
  // Ciudad de México
  { code: '09015', state: '09', name: 'Ciudad de México (Cuauhtémoc)', lat: 19.433, lon: -99.133 },
];

const byCode = new Map(places.map((p) => [p.code, p]));
export const placeOf = (code: string | null | undefined): Place | undefined => (code ? byCode.get(code) : undefined);

/** Kilometres between two points on the Earth's surface (haversine, mean radius 6371 km). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}
