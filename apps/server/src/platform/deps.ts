import type { Config } from './config.ts';
import type { Database } from './db.ts';
import type { Jobs } from './jobs.ts';
import type { Mailer } from './mailer.ts';
import type { Secrets } from './secrets.ts';

/** What route plugins and workflows are handed by the composition root (app.ts). */
export interface Deps {
  readonly config: Config;
  readonly database: Database;
  readonly jobs: Jobs;
  readonly mailer: Mailer;
  readonly secrets: Secrets;
}
