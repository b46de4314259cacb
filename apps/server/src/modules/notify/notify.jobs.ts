import type { Deps } from '../../platform/deps.ts';
import { sendOutbox } from './notify.service.ts';

export const SEND_EMAILS = 'notify.send-emails';

/**
 * Sends the e-mail outbox every minute. Staged: it talks to the mail server outside any
 * transaction; each e-mail is claimed and marked in transactions of its own.
 */
export function defineNotifyJobs(deps: Deps): void {
  const portalUrl = deps.config.PUBLIC_URL ?? `http://localhost:${deps.config.PORT}`;
  deps.jobs.defineStaged(SEND_EMAILS, async (_data, finish) => {
    await sendOutbox(deps.database, deps.mailer, portalUrl);
    await finish(async () => {});
  });
  deps.jobs.every(SEND_EMAILS, '* * * * *');
}
