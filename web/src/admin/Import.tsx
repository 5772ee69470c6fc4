import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiAnswer } from '../api/client.ts';
import { queryClient, useApi } from '../api/queries.ts';
import { formatDateTime, formatNumber } from '../ui/format.ts';
import { Alert, Empty, FileField, LoadError, Loading, PageTitle, Pager, RadioGroup, SelectField, SubmitButton, useAnnounce, useForm, useLang, ValidatedForm } from '../ui/index.tsx';
import { neutraliseFileName } from '../../../src/platform/http/schemas.ts';
import { AdminTabs } from './AdminTabs.tsx';
import { DataTable } from '../ui/DataTable.tsx';

type Job = ApiAnswer<'/api/v1/imports/{id}'>;
type ReportPage = ApiAnswer<'/api/v1/imports/{id}/rows'>;
const kinds = ['people', 'reports', 'found'] as const;
const finished = (status: Job['status']) => status === 'done' || status === 'rejected' || status === 'failed';
const REPORT_PAGE = 50;

/**
 * CSV import: the file goes up, the server checks and writes it in the background (src/imports/), the
 * page polls the job for its progress and ends with the report, row by row, also as a CSV file.
 */
export function Import() {
  const { t } = useTranslation(['admin']);
  const announce = useAnnounce();
  const [file, setFile] = useState<File | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const form = useForm({ kind: '', mode: 'skip' }, (v) => ({
    kind: v.kind ? undefined : t('validation.required'),
    file: file ? undefined : t('admin:chooseFile'),
  }));
  const recent = useApi<{ items: Job[] }, Job[]>('/api/v1/imports', undefined, { select: (r) => r.items });

  return (
    <>
      <PageTitle lead={t('admin:importLead')}>{t('admin:importTitle')}</PageTitle>
      <AdminTabs />
      <section className="card section" aria-labelledby="upload-title">
        <h2 id="upload-title">{t('admin:upload')}</h2>
        <ValidatedForm
          form={form}
          onValid={async (v) => {
            // The server refuses folders and control characters in a file name: they become "_".
            const name = neutraliseFileName(file!.name).slice(0, 200) || 'import.csv';
            const query = new URLSearchParams({ kind: v.kind, skip_invalid: String(v.mode === 'skip'), file_name: name });
            const job = await api.upload<Job>(`/api/v1/imports?${query.toString()}`, file!, 'text/csv');
            setJobId(job.id);
            announce(t('admin:importStarted', { file: job.file_name }));
          }}
        >
          <SelectField id="import-kind" label={t('admin:importKind')} required placeholder={t('common.choose')} options={kinds.map((k) => [k, t(`admin:kinds.${k}`)])} {...form.text('kind')} />
          <FileField
            id="import-file"
            name="file"
            label={t('admin:file')}
            hint={t('admin:fileHint')}
            required
            accept=".csv,text/csv"
            error={form.errorOf('file')}
            onFile={(chosen) => {
              setFile(chosen);
              form.touch('file');
            }}
          />
          <RadioGroup
            id="import-mode"
            name="mode"
            legend={t('admin:importMode')}
            options={[
              ['skip', t('admin:modeSkip')],
              ['all', t('admin:modeAll')],
            ]}
            value={form.values.mode}
            onChange={(v) => form.set('mode', v)}
          />
          <SubmitButton busy={form.busy}>{t('admin:startImport')}</SubmitButton>
        </ValidatedForm>
      </section>

      {jobId && <JobProgress key={jobId} id={jobId} />}

      <section className="card section" aria-labelledby="recent-title">
        <h2 id="recent-title">{t('admin:recentImports')}</h2>
        {recent.isPending && <Loading />}
        {!!recent.error && <LoadError error={recent.error} retry={() => void recent.refetch()} />}
        {recent.data && !recent.data.length && <Empty>{t('admin:noImports')}</Empty>}
        {recent.data && recent.data.length > 0 && <RecentImports jobs={recent.data} open={setJobId} />}
      </section>
    </>
  );
}

function RecentImports({ jobs, open }: { jobs: Job[]; open: (id: string) => void }) {
  const { t } = useTranslation(['admin']);
  const lang = useLang();
  return (
    <DataTable
      rows={jobs}
      rowKey={(job) => job.id}
      caption={t('admin:recentImports')}
      region="recent-title"
      columns={[
        {
          header: t('admin:file'),
          rowHeader: true,
          cell: (job) => (
            <button type="button" className="button button--link" onClick={() => open(job.id)}>
              {job.file_name}
            </button>
          ),
        },
        { header: t('admin:importKind'), cell: (job) => t(`admin:kinds.${job.kind}`) },
        { header: t('admin:startedAt'), cell: (job) => formatDateTime(job.created_at, lang) },
        { header: t('admin:result'), cell: (job) => t(`admin:jobStatus.${job.status}`) },
      ]}
    />
  );
}

/** One job: progress while it runs (polled), then its report. */
function JobProgress({ id }: { id: string }) {
  const { t } = useTranslation(['admin']);
  const lang = useLang();
  const job = useApi<Job>(`/api/v1/imports/${id}`, undefined, { refetchInterval: (query) => (query.state.data && finished(query.state.data.status) ? false : 700) });
  const over = !!job.data && finished(job.data.status);
  // The list of recent imports shows this one's outcome once it is known.
  useEffect(() => {
    if (over) void queryClient.invalidateQueries({ queryKey: ['imports'] });
  }, [over]);
  if (job.isPending) return <Loading />;
  if (job.error) return <LoadError error={job.error} retry={() => void job.refetch()} />;
  const j = job.data;
  const n = (x: number | null) => formatNumber(x ?? 0, lang);
  const writing = j.status === 'writing' || j.status === 'done';
  return (
    <section className="card section" aria-labelledby="job-title">
      <h2 id="job-title">{t('admin:jobTitle', { file: j.file_name })}</h2>
      <p className="import-progress__label" id="job-progress-label">
        {j.status === 'queued' || j.status === 'checking' ? t('admin:phaseChecking') : j.status === 'writing' ? t('admin:phaseWriting', { done: n(j.rows_written), total: n(j.rows_valid) }) : t(`admin:jobStatus.${j.status}`)}
      </p>
      {!finished(j.status) || j.status === 'done' ? (
        <progress className="import-progress" aria-labelledby="job-progress-label" max={writing ? Math.max(j.rows_valid ?? 0, 1) : undefined} value={writing ? (j.status === 'done' ? Math.max(j.rows_valid ?? 0, 1) : j.rows_written) : undefined} />
      ) : null}
      <div role="status">
        {j.status === 'done' && (
          <Alert kind={j.rows_rejected ? 'warning' : 'success'}>
            <p>{t('admin:doneSummary', { accepted: n(j.rows_written), rejected: n(j.rows_rejected), total: n(j.total_rows) })}</p>
          </Alert>
        )}
        {j.status === 'rejected' && (
          <Alert kind="error">
            <p>{t('admin:rejectedSummary', { rejected: n(j.rows_rejected), total: n(j.total_rows) })}</p>
          </Alert>
        )}
        {j.status === 'failed' && j.error && (
          <Alert kind="error">
            <p>{j.error.message}</p>
            {j.rows_written > 0 && <p>{t('admin:failedKept', { count: j.rows_written })}</p>}
          </Alert>
        )}
      </div>
      {finished(j.status) && (j.rows_rejected > 0 || j.rows_written > 0) && (
        <>
          <p>
            <a className="button button--secondary" href={`/api/v1/imports/${j.id}/report.csv`} download>
              {t('admin:downloadReport')}
            </a>
          </p>
          {j.rows_rejected > 0 && <RejectedRows id={j.id} />}
        </>
      )}
    </section>
  );
}

function RejectedRows({ id }: { id: string }) {
  const { t } = useTranslation(['admin']);
  const [offset, setOffset] = useState(0);
  const rows = useApi<ReportPage>(`/api/v1/imports/${id}/rows`, { result: 'rejected', limit: REPORT_PAGE, offset });
  if (rows.isPending) return <Loading />;
  if (rows.error) return <LoadError error={rows.error} retry={() => void rows.refetch()} />;
  return (
    <>
      <h3 id="rejected-title">{t('admin:rejectedRows')}</h3>
      <DataTable
        rows={rows.data.items}
        rowKey={(r) => r.row}
        caption={t('admin:rejectedRows')}
        region="rejected-title"
        columns={[
          { header: t('admin:row'), rowHeader: true, cell: (r) => r.row },
          { header: 'external_id', cell: (r) => r.external_id ?? '—' },
          {
            header: t('admin:reasons'),
            cell: (r) => (
              <ul className="plain-list">
                {(r.errors ?? []).map((e, i) => (
                  <li key={i}>{e.column ? `${e.column}: ${e.message}` : e.message}</li>
                ))}
              </ul>
            ),
          },
        ]}
      />
      <Pager offset={offset} pageSize={REPORT_PAGE} total={rows.data.total} go={setOffset} />
    </>
  );
}
