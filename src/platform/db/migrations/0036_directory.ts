import { sql, type Kysely } from 'kysely';

// The public services directory (src/directory, docs/directory.md), modelled on Open Referral HSDS 3.0:
// organizations, services, locations, the service-at-location link, schedules, phones, languages,
// taxonomies and terms (the service's categories), plus the shelter's capacity (HSDS 3.1
// `service_capacity`) as columns of the service. Nothing here is personal data: it is published.
//
// A service is kept by the institution whose directory editors wrote it (`institution_id`; null for
// entries imported from another HSDS system) and goes draft → pending → published; `verified_on` is
// the "last verified" date (HSDS `assured_date`). The taxonomy of categories is data, seeded here with
// fixed ids so that an exported package names the same terms in every installation.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table memberships drop constraint memberships_role_check;
    alter table memberships add constraint memberships_role_check
      check (role in ('administrator','supervisor','caseworker','analyst','auditor','complaint_handler','search_officer','child_protection_officer','directory_editor'));

    create table directory_organizations (
      id uuid primary key,
      institution_id uuid references institutions(id),
      name text not null check (length(name) between 1 and 300),
      alternate_name text check (length(alternate_name) <= 300),
      description text not null check (length(description) <= 4000),
      email text check (length(email) <= 300),
      website text check (length(website) <= 500),
      updated_at timestamptz not null default now()
    );
    create unique index directory_organizations_institution on directory_organizations (institution_id) where institution_id is not null;

    create table directory_locations (
      id uuid primary key,
      organization_id uuid not null references directory_organizations(id),
      name text check (length(name) <= 300),
      description text check (length(description) <= 4000),
      transportation text check (length(transportation) <= 4000),
      address_1 text not null check (length(address_1) between 1 and 300),
      city text not null check (length(city) between 1 and 200),
      municipality_code char(5),
      state_code char(2) not null,
      postal_code text not null default '' check (length(postal_code) <= 10),
      latitude double precision check (latitude between -90 and 90),
      longitude double precision check (longitude between -180 and 180),
      updated_at timestamptz not null default now()
    );

    create table directory_services (
      id uuid primary key,
      organization_id uuid not null references directory_organizations(id),
      institution_id uuid references institutions(id),
      name text not null check (length(name) between 1 and 300),
      alternate_name text check (length(alternate_name) <= 300),
      description text not null default '' check (length(description) <= 4000),
      url text check (length(url) <= 500),
      email text check (length(email) <= 300),
      status text not null default 'active' check (status in ('active','inactive','defunct','temporarily closed')),
      application_process text check (length(application_process) <= 4000),
      free boolean not null default true,
      fees_description text check (length(fees_description) <= 2000),
      eligibility_description text check (length(eligibility_description) <= 2000),
      minimum_age integer check (minimum_age between 0 and 120),
      maximum_age integer check (maximum_age between 0 and 120),
      required_documents text[] not null default '{}',
      alert text check (length(alert) <= 1000),
      capacity_maximum integer check (capacity_maximum >= 0),
      capacity_available integer check (capacity_available >= 0),
      capacity_updated_at timestamptz,
      review_state text not null default 'draft' check (review_state in ('draft','pending','published')),
      review_note text check (length(review_note) <= 2000),
      changed_by uuid references users(id),
      submitted_at timestamptz,
      published_by uuid references users(id),
      published_at timestamptz,
      verified_on date,
      verified_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (minimum_age is null or maximum_age is null or minimum_age <= maximum_age),
      check (capacity_available is null or capacity_maximum is null or capacity_available <= capacity_maximum)
    );
    create index directory_services_institution on directory_services (institution_id, review_state);
    create index directory_services_published on directory_services (updated_at) where review_state = 'published';

    create table directory_service_at_locations (
      id uuid primary key,
      service_id uuid not null references directory_services(id) on delete cascade,
      location_id uuid not null references directory_locations(id),
      description text check (length(description) <= 2000),
      unique (service_id, location_id)
    );

    create table directory_schedules (
      id uuid primary key,
      service_id uuid not null references directory_services(id) on delete cascade,
      byday text not null check (byday ~ '^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$'),
      opens_at time not null,
      closes_at time not null,
      description text check (length(description) <= 500)
    );

    create table directory_phones (
      id uuid primary key,
      service_id uuid not null references directory_services(id) on delete cascade,
      number text not null check (length(number) between 3 and 40),
      type text not null default 'voice' check (type in ('voice','text','whatsapp','fax','hotline')),
      description text check (length(description) <= 300)
    );

    create table directory_service_languages (
      id uuid primary key,
      service_id uuid not null references directory_services(id) on delete cascade,
      code char(3) not null,
      unique (service_id, code)
    );

    create table directory_taxonomies (
      id uuid primary key,
      name text not null,
      description text not null,
      uri text,
      version text
    );

    create table directory_taxonomy_terms (
      id uuid primary key,
      taxonomy_id uuid not null references directory_taxonomies(id),
      code text not null unique,
      name text not null,
      name_en text not null,
      description text not null,
      parent_id uuid references directory_taxonomy_terms(id)
    );

    create table directory_service_terms (
      id uuid primary key,
      service_id uuid not null references directory_services(id) on delete cascade,
      term_id uuid not null references directory_taxonomy_terms(id),
      unique (service_id, term_id)
    );
    create index directory_service_terms_term on directory_service_terms (term_id);

    insert into directory_taxonomies (id, name, description, uri, version) values
      ('e5cc95d8-09e6-436b-b41e-743da8bde7fc', 'Amparo: servicios para personas migrantes',
       'Categorías del directorio de programas para personas migrantes (objetivo 15 del Pacto Mundial) y servicios de protección.', null, '1');

    insert into directory_taxonomy_terms (id, taxonomy_id, code, name, name_en, description) values
      ('013839a1-2af6-453f-bbaa-9e58e7660d84', 'e5cc95d8-09e6-436b-b41e-743da8bde7fc', 'shelter', 'Albergue', 'Shelter', 'Alojamiento temporal, con o sin alimentos.'),
      ('5d270376-af6c-4580-a3ca-d765bbdf660b', 'e5cc95d8-09e6-436b-b41e-743da8bde7fc', 'food', 'Alimentación', 'Food', 'Comedores y entrega de alimentos.'),
      ('ed5c334e-6635-4832-b7c6-366e2ae07e1d', 'e5cc95d8-09e6-436b-b41e-743da8bde7fc', 'health', 'Salud', 'Health', 'Atención médica, vacunas, medicamentos.'),
      ('8fa04859-57f3-46a5-a1bd-8e7d4cae9992', 'e5cc95d8-09e6-436b-b41e-743da8bde7fc', 'mental_health', 'Salud mental', 'Mental health', 'Apoyo psicológico y psicosocial.'),
      ('ab4819ca-60c9-40fe-90f8-7f1bb8b54e5f', 'e5cc95d8-09e6-436b-b41e-743da8bde7fc', 'legal_aid', 'Asesoría jurídica', 'Legal aid', 'Orientación y representación legal.'),
      ('3156a41f-85d4-44a9-b4f4-2475d3b3a5e6', 'e5cc95d8-09e6-436b-b41e-743da8bde7fc', 'asylum', 'Refugio (COMAR)', 'Asylum (COMAR)', 'Solicitud de la condición de refugiado.'),
      ('4f50f374-fbdc-4af6-bca4-3dc986659fcb', 'e5cc95d8-09e6-436b-b41e-743da8bde7fc', 'documents', 'Documentos', 'Documents', 'Tarjetas de visitante, CURP temporal, actas, trámites.'),
      ('a39bf2fe-be56-429e-b1be-438cbf81f864', 'e5cc95d8-09e6-436b-b41e-743da8bde7fc', 'child_protection', 'Protección de niñas, niños y adolescentes', 'Child protection', 'Procuradurías de protección, DIF, cuidado alternativo.'),
      ('f611e0fa-8d3e-4f15-be81-d3671547e1cb', 'e5cc95d8-09e6-436b-b41e-743da8bde7fc', 'protection', 'Protección y atención a víctimas', 'Protection and victim support', 'Atención a víctimas de delito, violencia o trata.'),
      ('923224cf-8b9f-4f53-8509-0a668c171054', 'e5cc95d8-09e6-436b-b41e-743da8bde7fc', 'education', 'Educación', 'Education', 'Inscripción escolar, revalidación de estudios, clases de español.'),
      ('79723f25-beb9-4928-973a-ae3e69c41a60', 'e5cc95d8-09e6-436b-b41e-743da8bde7fc', 'employment', 'Empleo', 'Employment', 'Bolsa de trabajo, capacitación, derechos laborales.'),
      ('df23286e-df8b-4811-a9be-502865d54bdd', 'e5cc95d8-09e6-436b-b41e-743da8bde7fc', 'financing', 'Financiamiento', 'Financing', 'Créditos, apoyos económicos, cuentas bancarias.'),
      ('713cbec0-c70c-4b71-b999-36979e2f38a9', 'e5cc95d8-09e6-436b-b41e-743da8bde7fc', 'remittances', 'Remesas', 'Remittances', 'Envío y cobro de dinero.'),
      ('64378884-e388-4511-bec7-8ac3b3aa494d', 'e5cc95d8-09e6-436b-b41e-743da8bde7fc', 'technology', 'Tecnología y comunicación', 'Technology and communication', 'Internet, llamadas, carga de teléfonos.'),
      ('05c6b1cb-586a-462d-84df-78238770dd95', 'e5cc95d8-09e6-436b-b41e-743da8bde7fc', 'family_tracing', 'Búsqueda de familiares', 'Family tracing', 'Restablecimiento del contacto y búsqueda de personas.'),
      ('5878e6b4-5268-4f1b-bf5e-fdffaa80194d', 'e5cc95d8-09e6-436b-b41e-743da8bde7fc', 'consular', 'Protección consular', 'Consular protection', 'Consulados y representaciones de los países de origen.');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table directory_service_terms, directory_taxonomy_terms, directory_taxonomies, directory_service_languages, directory_phones,
      directory_schedules, directory_service_at_locations, directory_services, directory_locations, directory_organizations;
  `.execute(db);
}
