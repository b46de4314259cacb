// Seeds a PostgreSQL database for the discovery benchmark in a child process of run.ts
// (`node --import tsx bench/discovery.seed.ts '{"databaseUrl":…,"services":…,"batchSize":…}'`),
// so it can run while PGlite seeds in the parent. Progress goes to stdout line by line; the
// last line is the Seeding as JSON.
import { seedDiscovery } from './discovery.bench.ts';

const job = JSON.parse(process.argv[2]!) as { databaseUrl: string; services: number; batchSize: number };
seedDiscovery('postgres', { databaseUrl: job.databaseUrl }, job, console.log, false).then(
  (seeding) => {
    console.log(JSON.stringify(seeding));
    process.exit(0);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
