// Migrates one template database per run; every test file then gets its own copy of it:
// a PGlite data directory loaded from a dump, or (TEST_DATABASE_URL) a PostgreSQL database
// created from a template database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { defineJobs } from '../src/app.ts';
import { openPglite, openPostgres, type Database } from '../src/platform/db.ts';
import { Jobs } from '../src/platform/jobs.ts';
import { createMailer } from '../src/platform/mailer.ts';
import { Secrets } from '../src/platform/secrets.ts';
import { createLogger } from '../src/platform/logger.ts';
import { loadConfig } from '../src/platform/config.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string;
  }
}

async function prepare(database: Database): Promise<void> {
  await database.migrate();
  const jobs = new Jobs(database, createLogger('silent', false));
  const config = loadConfig({});
  defineJobs({ config, database, jobs, secrets: new Secrets(randomBytes(32)), mailer: createMailer(config) });
  await jobs.install();
  await jobs.stop();
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'portico-test-'));
  const lite = await openPglite({});
  await prepare(lite);
  const dump = await lite.pglite!.dumpDataDir('none');
  const templateFile = join(dir, 'template.tar');
  writeFileSync(templateFile, Buffer.from(await dump.arrayBuffer()));
  await lite.close();
  project.provide('pgliteTemplate', templateFile);

  const url = process.env.TEST_DATABASE_URL;
  let dropTemplate = async () => {};
  if (url) {
    const name = `portico_tmpl_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const template = openPostgres(withDatabase(url, name), 2);
    await prepare(template);
    await template.close();
    project.provide('pgTemplate', name);
    dropTemplate = async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  return async () => {
    await dropTemplate();
    rmSync(dir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
