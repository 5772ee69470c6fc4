import { useCan } from '../app/session.tsx';
import { AuditLog } from '../audit/AuditLog.tsx';
import { ComplaintsInbox } from '../complaints/Inbox.tsx';
import { MissingNotifications, MissingReviewQueue } from '../missing/MissingReview.tsx';
import { DirectoryList } from '../directory/DirectoryList.tsx';
import { Home } from './Home.tsx';

/** The first screen is the user's own work: the dashboard, or the queue the role lives in. */
export function HomePage() {
  const can = useCan();
  if (can('cases.read') || can('dashboard.aggregates'))
    return (
      <>
        <Home />
        {can('missing.record') && <MissingNotifications />}
      </>
    );
  if (can('missing.review'))
    return (
      <>
        <MissingReviewQueue />
        <MissingNotifications />
      </>
    );
  if (can('audit.read')) return <AuditLog />;
  if (can('complaints.handle')) return <ComplaintsInbox />;
  if (can('directory.edit')) return <DirectoryList />;
  return <Home />;
}
