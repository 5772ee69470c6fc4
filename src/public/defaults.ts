/**
 * What a new installation shows before its administrators write their own: the privacy notice and
 * the information pages. Written by Amparo's developers from public knowledge (the laws and official
 * pages each page names in its sources), in Spanish; each page says so in its sources and must be
 * reviewed by someone who knows the current rules before the service relies on it.
 *
 * Markup of bodies (src/public/markup.ts): blank line between paragraphs, `## ` for a heading,
 * `- ` for a list item, `[text](/path or https://…)` for a link.
 */

export const DEFAULT_OPERATOR_NAME = 'Amparo';
/** In the default notice while the administrators have not given an address. */
export const ADDRESS_UNKNOWN = 'el domicilio que se publica en la página de inicio de este sitio';

/** Written when the defaults were drafted; an edit in the staff app sets its own date. */
const DRAFTED_ON = '2026-12-06';
const DRAFT_NOTE = 'Texto inicial redactado por el equipo de desarrollo de Amparo a partir de las fuentes citadas; no sustituye la asesoría de una persona experta y debe revisarse con las reglas vigentes.';

/**
 * The privacy notice (aviso de privacidad integral) a public-sector operator owes under the Ley
 * General de Protección de Datos Personales en Posesión de Sujetos Obligados (LGPDPPSO, arts. 26-28):
 * who is responsible, which data, what for, on what legal basis, transfers, ARCO rights and how to
 * exercise them, and how changes are announced. `{operator}` and `{address}` are filled from the
 * settings.
 */
export const DEFAULT_PRIVACY_NOTICE = `## Responsable
{operator}, con domicilio en {address}, es responsable del tratamiento de los datos personales que usted proporcione en este sitio, conforme a la Ley General de Protección de Datos Personales en Posesión de Sujetos Obligados (LGPDPPSO) y demás normativa aplicable.

## Qué datos tratamos
- Quejas y denuncias: lo que usted relate y, si decide no ser anónima, su nombre y datos de contacto; los archivos que adjunte, de los que quitamos la ubicación y los datos de la cámara si usted lo pide.
- Búsqueda de familiares: los datos de la persona que se busca (nombre, edad, nacionalidad, señas particulares, fotos) y los de quien reporta (nombre, relación, teléfono o correo).
- Algunos de estos datos son sensibles (origen, salud, señas físicas, situación migratoria, hechos de violencia). Se guardan cifrados y solo los ven las personas servidoras públicas que atienden su caso.
- No registramos su dirección de Internet ni datos de su navegador; el sitio no usa cookies de seguimiento ni servicios de terceros.

## Para qué los usamos
Finalidades necesarias: recibir, atender y dar seguimiento a su queja, denuncia o petición; turnarla a la autoridad competente; buscar a la persona desaparecida y comunicarle los avances; elaborar estadísticas sin datos que identifiquen a nadie. No usamos sus datos para fines distintos ni para verificar su situación migratoria.

## Fundamento
Artículos 6 y 16 de la Constitución Política de los Estados Unidos Mexicanos; LGPDPPSO; Ley de Migración (artículos 8, 11 y 14); Ley General en Materia de Desaparición Forzada de Personas, Desaparición Cometida por Particulares y del Sistema Nacional de Búsqueda de Personas; y las atribuciones de {operator}.

## Transferencias
Sus datos solo se comparten sin su consentimiento en los casos del artículo 70 de la LGPDPPSO: con la autoridad que investiga una denuncia, con las comisiones de búsqueda, fiscalías y servicios forenses que participan en la búsqueda de una persona, o por orden de una autoridad judicial. Cualquier otra transferencia requiere su consentimiento.

## Sus derechos ARCO
Usted puede pedir el Acceso a sus datos, su Rectificación si son inexactos, su Cancelación cuando ya no sean necesarios y Oponerse a su tratamiento, así como la portabilidad, en los términos de los artículos 43 a 56 de la LGPDPPSO.

## Cómo ejercerlos
Presente su solicitud ante la Unidad de Transparencia de {operator} (en {address}, o por los medios de contacto de esta página) o en la Plataforma Nacional de Transparencia (www.plataformadetransparencia.org.mx). Indique su nombre o el folio de su queja o reporte, el derecho que desea ejercer y, si quiere, un medio para recibir la respuesta. No necesita dar su nombre si usa el folio y el número de recibo o el código de acceso. El trámite es gratuito; la respuesta debe darse en un plazo máximo de 20 días hábiles, que puede ampliarse una vez por 10 días. Si no está de acuerdo con la respuesta, puede presentar un recurso de revisión ante el órgano garante de transparencia.

## Cambios a este aviso
Cualquier cambio se publicará en esta misma página, con su fecha.`;

export type DefaultPage = { slug: string; title: string; summary: string; body: string; sources: string };

export const DEFAULT_PAGES: DefaultPage[] = [
  {
    slug: 'tarjeta-visitante-regional',
    title: 'Tarjeta de Visitante Regional (TVR)',
    summary: 'Para personas de Guatemala y Belice que quieren entrar y salir de los estados de la frontera sur de México.',
    body: `La Tarjeta de Visitante Regional permite a las personas nacionales o residentes de los países vecinos del sur entrar a la región fronteriza de México, salir y volver a entrar las veces que quieran.

## Quién puede pedirla
- Personas nacionales de Guatemala y de Belice, y personas con residencia permanente en esos países.
- El Instituto Nacional de Migración (INM) ha extendido la tarjeta a personas de otros países de la región en algunos periodos: pregunte si aplica a su nacionalidad.

## Qué permite
- Estar en los estados de Chiapas, Tabasco, Campeche y Quintana Roo.
- Cada estancia tiene un límite de días; la ley la fija en siete días por entrada.
- No permite trabajar con un sueldo en México. Para trabajar existe otra tarjeta: la de Visitante Trabajador Fronterizo.

## Cómo se pide
En los puntos de internación del INM en la frontera sur (por ejemplo, Ciudad Hidalgo y Talismán en Chiapas), con un pasaporte vigente o el documento de identidad que el INM acepte. Lleve el documento original.

## Si quiere quedarse más tiempo o tiene miedo de volver
La TVR no sirve para vivir en México. Si teme por su vida o su libertad en su país, lea [Pedir la condición de refugiado](/informacion/refugio-comar).`,
    sources: `Ley de Migración, artículo 52, fracción II (Visitante regional). Instituto Nacional de Migración, trámites en gob.mx/inm. ${DRAFT_NOTE}`,
  },
  {
    slug: 'tarjeta-visitante-razones-humanitarias',
    title: 'Tarjeta de Visitante por Razones Humanitarias (TVRH)',
    summary: 'Permiso para estar en México con derecho a trabajar, para víctimas o testigos de delitos, niñas y niños no acompañados y quienes piden refugio.',
    body: `La Tarjeta de Visitante por Razones Humanitarias es un documento migratorio que el Instituto Nacional de Migración (INM) da a personas en situación de especial necesidad.

## Quién puede pedirla
- Personas que fueron víctimas o testigos de un delito en México (por ejemplo, un asalto, un secuestro o la trata de personas).
- Niñas, niños y adolescentes que viajan sin una persona adulta responsable.
- Personas que pidieron ser reconocidas como refugiadas, protección complementaria o la determinación de apatridia, mientras se resuelve su solicitud.
- Otras personas por una causa humanitaria o de interés público que el INM valore.

## Qué permite
- Estar en México de forma regular mientras dura la razón que la justifica (se da por periodos, por lo general de un año, y puede renovarse).
- Trabajar con un sueldo, entrar y salir del país según las reglas del INM.
- Pedir una CURP temporal y usar servicios de salud y educación.

## Cómo se pide
En una oficina del INM, con su identificación si la tiene. Las víctimas y testigos llevan la constancia de la denuncia de la fiscalía; quienes piden refugio, la constancia de trámite de la COMAR. Pregunte si hay costo: para muchos casos humanitarios no se cobra.

## Si le piden dinero
Nadie debe cobrarle por ayudarle a pedir la tarjeta fuera de los pagos oficiales. Si alguien le pide dinero, puede [presentar una queja](/quejas).`,
    sources: `Ley de Migración, artículos 52, fracción V, y 74; Reglamento de la Ley de Migración, artículo 137; Instituto Nacional de Migración, gob.mx/inm. ${DRAFT_NOTE}`,
  },
  {
    slug: 'refugio-comar',
    title: 'Pedir la condición de refugiado (COMAR)',
    summary: 'Si teme por su vida, su seguridad o su libertad en su país, puede pedir protección en México. Es gratuito.',
    body: `México reconoce como refugiadas a las personas que huyen de persecución (por su raza, religión, nacionalidad, género, opiniones políticas o pertenencia a un grupo social) o de violencia generalizada, conflictos o violaciones masivas de derechos humanos en su país. La Comisión Mexicana de Ayuda a Refugiados (COMAR) decide.

## Cuándo pedirlo
- Dentro de los 30 días hábiles después de entrar a México. Si no pudo hacerlo a tiempo (por enfermedad, miedo, falta de información), puede pedirlo después y explicar por qué.
- Puede pedirlo aunque haya entrado sin papeles, y también si está en una estación migratoria: dígaselo a la autoridad, que debe avisar a la COMAR.

## Cómo pedirlo
- En una oficina de la COMAR (por ejemplo en Tapachula, Tenosique, Palenque, Acayucan, Ciudad de México, Monterrey, Tijuana, Saltillo o Guadalajara) o ante el INM, que debe avisar a la COMAR.
- Le harán una entrevista. Tiene derecho a una persona intérprete y a asesoría legal gratuita de organizaciones y de la Defensoría.
- El trámite es gratuito. Nadie puede cobrarle ni prometerle un resultado a cambio de dinero.

## Mientras espera
- No pueden devolverle a su país mientras se decide su solicitud.
- Le darán una constancia de trámite. Con ella puede pedir la [Tarjeta de Visitante por Razones Humanitarias](/informacion/tarjeta-visitante-razones-humanitarias) y una [CURP temporal](/informacion/curp-temporal).
- Por lo general debe quedarse en el estado donde hizo la solicitud y presentarse a firmar cuando se lo pidan; si no, su solicitud puede darse por abandonada.

## La decisión
La ley da a la COMAR 45 días hábiles para resolver, que pueden ampliarse. Si le reconocen como refugiada, puede pedir la residencia permanente. Si le niegan la protección, puede pedir una revisión (recurso de revisión) o acudir a un juicio.`,
    sources: `Ley sobre Refugiados, Protección Complementaria y Asilo Político, artículos 13, 18, 21, 24 y 25; su Reglamento; Comisión Mexicana de Ayuda a Refugiados, gob.mx/comar; ACNUR México, help.unhcr.org/mexico. ${DRAFT_NOTE}`,
  },
  {
    slug: 'curp-temporal',
    title: 'CURP temporal para personas extranjeras',
    summary: 'La Clave Única de Registro de Población le sirve para la escuela, la salud, el empleo formal y otros trámites.',
    body: `La CURP es la clave de identidad que usan las oficinas públicas de México. Las personas extranjeras con un documento migratorio o en trámite de refugio pueden obtener una CURP temporal.

## Quién puede obtenerla
- Personas que pidieron la condición de refugiado: la COMAR gestiona la CURP temporal junto con la constancia de trámite.
- Personas con Tarjeta de Visitante por Razones Humanitarias o con tarjeta de residente: se asigna con los datos de su documento migratorio.

## Para qué sirve
- Inscribirse en la escuela y en programas de becas.
- Registrarse en servicios de salud pública.
- Trabajar con contrato y darse de alta en la seguridad social.

## Cómo obtenerla
Pregunte en la COMAR o en la oficina del INM donde recibió su documento. También puede consultar o imprimir su CURP en gob.mx/curp con su nombre y fecha de nacimiento. La CURP es gratuita.

## Si hay un error
Si su nombre o su fecha de nacimiento están mal escritos, pida la corrección en el Registro Nacional de Población (RENAPO) o en la oficina donde la tramitó.`,
    sources: `Ley General de Población, artículos 86 y 91; Registro Nacional de Población (RENAPO), gob.mx/curp; Comisión Mexicana de Ayuda a Refugiados, gob.mx/comar. ${DRAFT_NOTE}`,
  },
  {
    slug: 'revalidacion-de-estudios',
    title: 'Revalidación de estudios y acceso a la escuela',
    summary: 'Sus hijas e hijos pueden inscribirse en la escuela sin papeles; los estudios hechos en otro país pueden reconocerse.',
    body: `## Educación básica (preescolar, primaria y secundaria)
- Toda niña, niño y adolescente puede inscribirse en una escuela pública, tenga o no documentos migratorios.
- La escuela no puede negar la inscripción por falta de acta de nacimiento, de certificados o de CURP: debe inscribir y ubicar a la niña o niño en el grado que le corresponda, con una evaluación si hace falta.
- No se piden documentos apostillados ni traducciones para la educación básica.

## Educación media superior y superior
- Para continuar la preparatoria o la universidad, los estudios hechos en otro país se reconocen con una revalidación ante la Secretaría de Educación Pública (SEP) o la autoridad educativa de su estado.
- Por lo general se pide el certificado de estudios y, para algunos niveles, el plan de estudios. Pregunte qué documentos acepta su estado y si hay costo.

## Si le niegan la inscripción
Pida que se lo digan por escrito y acuda a la autoridad educativa de su estado. También puede [presentar una queja](/quejas).`,
    sources: `Constitución Política, artículo 3; Ley General de Educación (derecho a la educación sin importar la situación migratoria); Ley de Migración, artículo 8; Acuerdo 286 de la SEP y sus reformas (revalidación y equivalencia de estudios); SEP, gob.mx/sep. ${DRAFT_NOTE}`,
  },
  {
    slug: 'derecho-a-la-salud',
    title: 'Derecho a la atención médica',
    summary: 'Puede recibir atención médica en México sin importar su situación migratoria. La urgencia nunca se niega.',
    body: `La Ley de Migración dice que las personas migrantes tienen derecho a recibir cualquier tipo de atención médica, sin importar su situación migratoria, y que la atención de urgencia es gratuita.

## Qué incluye
- Atención de urgencias, sin costo.
- Consultas en centros de salud públicos, vacunas y atención del embarazo y del parto.
- Atención a la salud mental y a víctimas de violencia sexual (incluida la anticoncepción de emergencia).

## Cómo pedirla
- Acuda al centro de salud u hospital público más cercano. Si tiene CURP, llévela; si no, pida la atención de todas formas.
- En los servicios públicos no deben pedirle documentos migratorios ni avisar al INM.

## Si le niegan la atención
Pida hablar con la dirección del hospital. Puede [presentar una queja](/quejas) o buscar un [servicio cercano](/servicios?categoria=health) que le acompañe.`,
    sources: `Constitución Política, artículo 4; Ley de Migración, artículos 8 y 27; Ley General de Salud, artículo 77 bis 7; NOM-046-SSA2-2005 (violencia sexual). ${DRAFT_NOTE}`,
  },
  {
    slug: 'derecho-a-la-educacion',
    title: 'Derecho a la educación',
    summary: 'Toda persona migrante puede estudiar en México, en escuelas públicas y privadas, con o sin documentos.',
    body: `La Ley de Migración y la Ley General de Educación garantizan que las personas migrantes y sus hijas e hijos puedan estudiar, sin importar su situación migratoria.

## Lo que dice la ley
- Nadie puede negarle la inscripción por no tener documentos migratorios.
- Las escuelas deben dar facilidades para que quien llega de otro país se integre, y no pueden discriminar por nacionalidad, idioma o color de piel.
- Niñas, niños y adolescentes tienen derecho a recibir la educación básica gratuita.

## Qué hacer
- Acuda a la escuela más cercana o a la oficina de la autoridad educativa de su estado.
- Lea [Revalidación de estudios y acceso a la escuela](/informacion/revalidacion-de-estudios) para saber qué documentos le pueden pedir.`,
    sources: `Constitución Política, artículo 3; Ley de Migración, artículo 8; Ley General de Educación; Ley General de los Derechos de Niñas, Niños y Adolescentes, artículos 57 y 89-101. ${DRAFT_NOTE}`,
  },
  {
    slug: 'como-presentar-una-queja',
    title: 'Cómo presentar una queja contra una autoridad',
    summary: 'Si una autoridad le trató mal, le pidió dinero o le negó un servicio, puede quejarse, incluso de forma anónima.',
    body: `Tiene derecho a quejarse de cualquier persona servidora pública (del Instituto Nacional de Migración, la Guardia Nacional, policías, hospitales, escuelas, oficinas), tenga o no documentos migratorios.

## En este sitio
- Escriba qué pasó en el [formulario de quejas](/quejas). No necesita cuenta y puede ser anónima.
- Al terminar recibe un folio y un número de recibo secreto: con ellos sigue su queja en [Consultar mi queja](/quejas/seguimiento), responde preguntas y agrega información.
- Puede adjuntar fotos, documentos o audios. Antes de guardar las fotos se les quita la ubicación GPS y los datos de la cámara.

## Otros lugares
- La Comisión Nacional de los Derechos Humanos (CNDH) y las comisiones estatales reciben quejas por violaciones a derechos humanos, por teléfono, en línea o en persona.
- Los órganos internos de control de cada institución reciben quejas contra sus servidores públicos.
- Si fue víctima de un delito, puede denunciarlo ante la fiscalía; no deben pedirle documentos migratorios.

## Qué anotar
Fecha, lugar, qué autoridad era, números de placa o de vehículo, qué le pidieron o quitaron y quiénes vieron lo que pasó.`,
    sources: `Ley de Migración, artículos 11 y 70; Ley General de Responsabilidades Administrativas; Ley de la Comisión Nacional de los Derechos Humanos; el módulo de quejas de este sitio (docs/complaints.md). ${DRAFT_NOTE}`,
  },
  {
    slug: 'como-buscar-a-un-familiar',
    title: 'Cómo buscar a un familiar desaparecido',
    summary: 'Si perdió contacto con un familiar en el camino, puede reportarlo aquí o ante las comisiones de búsqueda, las fiscalías y los consulados.',
    body: `No espere: la búsqueda de una persona desaparecida debe empezar de inmediato. No hace falta esperar 72 horas ni tener documentos migratorios.

## En este sitio
- Llene el [reporte de un familiar desaparecido](/familias/busqueda/reportar). Puede añadir fotos de la persona.
- Recibirá un folio y un código de acceso para [seguir la búsqueda](/familias/busqueda/seguimiento), leer los mensajes del personal de búsqueda y agregar información.

## Otras vías
- La Comisión Nacional de Búsqueda y las comisiones de búsqueda de los estados.
- Las fiscalías, que deben recibir la denuncia sin pedirle documentos.
- Si usted está fuera de México, la embajada o el consulado de México en su país recibe su denuncia (Mecanismo de Apoyo Exterior Mexicano de Búsqueda e Investigación).
- El Comité Internacional de la Cruz Roja y las sociedades nacionales de la Cruz Roja ayudan a restablecer el contacto entre familiares.

## Qué datos ayudan
Nombre completo y otros nombres, fecha de nacimiento, señas particulares (tatuajes, cicatrices, dientes), ropa, ruta, última comunicación y con quién viajaba. Guarde fotos recientes.`,
    sources: `Ley General en Materia de Desaparición Forzada de Personas, Desaparición Cometida por Particulares y del Sistema Nacional de Búsqueda de Personas, artículos 79-89; Protocolo Homologado para la Búsqueda de Personas Desaparecidas y No Localizadas; Comisión Nacional de Búsqueda, gob.mx/cnb; Mecanismo de Apoyo Exterior (Acuerdo A/117/15 de la FGR). ${DRAFT_NOTE}`,
  },
  {
    slug: 'si-le-detienen',
    title: 'Qué hacer si le detienen por su situación migratoria',
    summary: 'Sus derechos si el Instituto Nacional de Migración le lleva a una estación migratoria.',
    body: `Estar en México sin documentos no es un delito. El Instituto Nacional de Migración (INM) puede llevarle a una estación migratoria para revisar su situación, pero usted conserva todos sus derechos.

## Sus derechos
- Saber por qué le detienen, en un idioma que entienda, y tener una persona intérprete si no habla español.
- Avisar a su familia y a su consulado, o pedir que no se avise a su consulado si teme a las autoridades de su país.
- Tener asesoría legal y recibir visitas de organizaciones de derechos humanos.
- Pedir la condición de refugiado: dígalo en cualquier momento; la autoridad debe avisar a la COMAR y no pueden devolverle mientras se decide. Lea [Pedir la condición de refugiado](/informacion/refugio-comar).
- Recibir atención médica, comida y agua, y un trato digno.
- No firmar nada que no entienda. Pida una copia de lo que firme.
- Si fue víctima o testigo de un delito, puede pedir la [Tarjeta de Visitante por Razones Humanitarias](/informacion/tarjeta-visitante-razones-humanitarias).

## Niñas, niños y adolescentes
No pueden ser detenidos en estaciones migratorias. La autoridad debe llevarles con la Procuraduría de Protección de Niñas, Niños y Adolescentes o a un lugar de cuidado adecuado, junto con su familia si viajan con ella.

## Si le tratan mal
Anote nombres, fechas y lugares y [presente una queja](/quejas). También puede llamar a la CNDH.`,
    sources: `Constitución Política, artículos 1, 11 y 14; Ley de Migración, artículos 68, 69, 70, 95, 98, 99 y 109 (reforma de noviembre de 2020 sobre niñas, niños y adolescentes); Ley sobre Refugiados, Protección Complementaria y Asilo Político, artículos 6 y 21. ${DRAFT_NOTE}`,
  },
];

export const DEFAULT_REVIEWED_ON = DRAFTED_ON;
