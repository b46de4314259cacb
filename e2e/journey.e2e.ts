// The browser journey: the thin slice of Portico, end to end, in a real Chromium.
//
// Starts its own portal (fresh PGlite data dir, demo seed, job workers on), then walks
// browse → order → approve → deliver (the private cloud's broker, no one's task) → own → track →
// ticket as the demo requester, manager and fulfiller, plus one phone-size check. Then the catalogue (steps 9–12): find a service
// through a typo, compare cloud with legacy, order from the comparison, and edit the catalogue
// as its manager while drafts stay hidden. Then the cart and the approval chain (steps 13–17,
// approvals.steps.ts): fill a cart, see the budget impact and who approves, check out; the
// manager and the cost-centre owner approve in turn, a rejection stops its line. Then fulfilment
// and subscriptions (steps 18–23, fulfilment.steps.ts): a laptop through two manual steps, a
// broker that fails twice and still delivers once, a decommission at the broker, and a phone. Then
// costs and the monthly bill (steps 24–26, billing.steps.ts): the cost-centre owner's costs, finance
// closing last month and downloading its exports, the owner's statement, and a phone.
// The helpers the steps share are in support.ts. One full-page screenshot per step lands in e2e/artifacts/.
// Prints one line per step and closes with `N passed, M failed`.
//
//   npm run build:web && npm run e2e        (CHROMIUM_PATH overrides /usr/bin/chromium)
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { approvalSteps } from './approvals.steps.ts';
import { fulfilmentSteps } from './fulfilment.steps.ts';
import { billingSteps } from './billing.steps.ts';
import {
  ACTION_TIMEOUT_MS,
  ARTIFACTS,
  BROKER,
  CheckFailed,
  FULFILLER,
  MANAGER,
  PHONE,
  REQUESTER,
  ROOT,
  cents,
  check,
  mainNav,
  need,
  openConnectionDetails,
  seconds,
  session,
  shot,
  sidewaysOverflow,
  sleep,
  stagesOf,
  tasksFor,
  textOf,
  watchDelivery,
  type Journey,
  type Session,
} from './support.ts';

const WEB_INDEX = path.join(ROOT, 'apps', 'web', 'dist', 'index.html');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const HARD_TIMEOUT_MS = 4 * 60_000; // the whole run, server start included
const READY_TIMEOUT_MS = 90_000; // GET /readyz == 200

// ---------------------------------------------------------------------------------------------
// The portal under test, as a child process

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

interface Portal {
  baseUrl: string;
  /** The demo's simulated private-cloud broker, which the portal started beside itself. */
  brokerUrl: string;
  output: () => string;
  stop: () => Promise<void>;
}

async function startPortal(dataDir: string): Promise<Portal> {
  const port = await freePort();
  const brokerPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'true',
    // The demo's private cloud, on its own free port, three times faster than in the demo: a
    // small VM takes 6–11 s, so the portal (which looks every 5 s) sees it being created.
    DEMO_BROKER: 'true',
    BROKER_PORT: String(brokerPort),
    BROKER_TIME_SCALE: String(BROKER.timeScale),
  };
  // The portal serves apps/web/dist and keeps its data in DATA_DIR, whatever the caller's shell says.
  delete env.WEB_DIST;
  delete env.DATABASE_URL;

  // Its own process group, so stopping it also stops what npx starts underneath.
  const child: ChildProcess = spawn('npx', ['tsx', 'apps/server/src/main.ts', 'serve'], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | string | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? signal ?? 'unknown';
      resolve();
    }),
  );

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };

  const portal: Portal = {
    baseUrl: `http://127.0.0.1:${port}`,
    brokerUrl: `http://127.0.0.1:${brokerPort}`,
    output: () => lines.join('\n'),
    stop: async () => {
      if (exited === null) {
        signalGroup('SIGTERM');
        const stopped = await Promise.race([exit.then(() => true), sleep(10_000).then(() => false)]);
        if (!stopped) {
          signalGroup('SIGKILL');
          await Promise.race([exit, sleep(5_000)]);
        }
      }
      // Whatever npx left behind in the group.
      signalGroup('SIGKILL');
    },
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited !== null) {
      throw new Error(`the portal exited (${exited}) before it was ready; its output:\n${portal.output()}`);
    }
    try {
      const res = await fetch(`${portal.baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return portal;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await portal.stop();
      throw new Error(
        `the portal was not ready (GET /readyz == 200) within ${READY_TIMEOUT_MS / 1000} s; ` +
          `its output:\n${portal.output()}`,
      );
    }
    await sleep(250);
  }
}

// ---------------------------------------------------------------------------------------------
// The journey

const RUN_ID = Math.random().toString(36).slice(2, 6);
const HOSTNAME = `vm-e2e-${RUN_ID}`;
const JUSTIFICATION = 'A build agent for the platform team’s CI (browser journey test).';
const TICKET_SUMMARY = `Cannot SSH into ${HOSTNAME}`;
const TICKET_DESCRIPTION = 'Connection times out on port 22 since this morning; ping works.';
const CATALOG_MANAGER = 'catalog@example.com';
const TYPO = 'postgress';
const POSTGRES = { slug: 'managed-postgresql', name: 'Managed PostgreSQL' };
const DBA = { slug: 'dba-database', name: 'Database on a dedicated server (DBA-managed)' };
const DATABASE_NAME = `orders_e2e_${RUN_ID}`;
const PG_JUSTIFICATION = 'The order service needs its own database (browser journey test).';
const EDITED = { slug: 'object-storage', name: 'Object Storage' };
const NEW_TAGLINE = `S3-compatible buckets for files, backups, logs and data sets (edited ${RUN_ID}).`;
const DRAFTS = [
  { slug: 'archive-storage', name: 'Archive Storage (cold)' },
  { slug: 'serverless-functions', name: 'Serverless Functions (preview)' },
];

/** 1. The requester browses the storefront, searches for "virtual" and opens the VM. */
async function browse(j: Journey): Promise<void> {
  j.requester = await session(j, REQUESTER);
  const { page } = j.requester;
  await page.getByRole('heading', { level: 1, name: 'What do you need, Rita?' }).waitFor();

  const categories = page.locator('a.category-tile');
  await page.getByRole('heading', { name: 'Browse by category' }).waitFor();
  await categories.first().waitFor();
  const cards = page.getByTestId('service-card');
  await cards.first().waitFor();
  const categoryCount = await categories.count();
  const serviceCount = await cards.count();
  check(categoryCount >= 2, `expected categories on the storefront, found ${categoryCount}`);
  check(serviceCount >= 2, `expected services on the storefront, found ${serviceCount}`);
  await shot(page, '01a-storefront');

  // The storefront's search box suggests as you type; Enter opens the full results page.
  const search = page.getByRole('combobox', { name: 'Search the catalogue' });
  await search.fill('virtual');
  await search.press('Enter');
  await page.getByRole('heading', { name: 'Results for “virtual”' }).waitFor();
  await page.waitForURL((url) => url.searchParams.get('q') === 'virtual');
  // The old results stay on screen while the search runs, so wait for the list to narrow.
  await page
    .waitForFunction(
      (before) => document.querySelectorAll('[data-testid="service-card"]').length < before,
      serviceCount,
      { timeout: ACTION_TIMEOUT_MS },
    )
    .catch(() => {
      throw new CheckFailed(`searching for "virtual" did not narrow the list of ${serviceCount} services`);
    });
  const vm = page
    .getByTestId('service-card')
    .filter({ has: page.getByRole('link', { name: 'Virtual Machine', exact: true }) });
  await vm.waitFor();
  await shot(page, '01-browse');

  await vm.getByRole('link', { name: 'Virtual Machine', exact: true }).click();
  await page.waitForURL('**/s/virtual-machine');
  await page.getByRole('heading', { level: 1, name: 'Virtual Machine' }).waitFor();
  await page.getByTestId('plan-card').first().waitFor();
  const plans = await page
    .getByTestId('plan-card')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-plan')));
  check(
    ['small', 'medium', 'large'].every((p) => plans.includes(p)),
    `expected plans small, medium and large; found ${plans.join(', ')}`,
  );
}

/** 2. The requester orders the Small plan and lands on the order page, waiting for approval. */
async function order(j: Journey): Promise<void> {
  const { page } = need(j.requester, 'the requester session');
  await page
    .locator('[data-testid="plan-card"][data-plan="small"]')
    .getByRole('button', { name: 'Order' })
    .click();
  const checkout = page.getByRole('region', { name: 'Checkout: Virtual Machine — Small' });
  await checkout.waitFor();

  const costCentre = checkout.getByLabel('Cost centre');
  check(
    (await costCentre.inputValue()) === 'CC-ENG-100',
    `the cost centre should default to CC-ENG-100, was "${await costCentre.inputValue()}"`,
  );
  // The broker names the VM as asked, and the subscription is called by that name.
  await checkout.getByLabel('Hostname').fill(HOSTNAME);
  await checkout.getByLabel('Business justification').fill(JUSTIFICATION);
  await checkout.getByRole('checkbox', { name: 'I accept this SLA' }).check();
  await shot(page, '02a-checkout');

  await checkout.getByRole('button', { name: 'Submit request' }).click();
  await page.waitForURL(/\/orders\/[^/]+$/);
  j.orderUrl = page.url();
  const status = page.locator('.page-header [data-status]');
  await status.waitFor();
  const statusValue = await status.getAttribute('data-status');
  check(
    statusValue === 'pending_approval',
    `a new order should be pending approval, the page says "${await textOf(status)}" (${statusValue})`,
  );
  check(
    /waiting for approval|pending approval/i.test(await textOf(status)),
    `the status badge should say the order waits for approval, says "${await textOf(status)}"`,
  );
  await page.getByRole('heading', { level: 1, name: 'Virtual Machine' }).waitFor();
  j.orderNumber = await textOf(
    page.getByRole('navigation', { name: 'Breadcrumb' }).locator('[aria-current="page"]'),
  );
  check(j.orderNumber.length > 0, 'the order page shows no order number');
  await page.locator('[data-testid="timeline-event"][data-kind="submitted"]').waitFor();
  await shot(page, '02-order');
}

/** 3. The manager sees the approvals badge, opens Approvals and approves the request. */
async function approve(j: Journey): Promise<void> {
  const orderNumber = need(j.orderNumber, 'the order number');
  j.manager = await session(j, MANAGER);
  const { page } = j.manager;

  const badge = page.getByTestId('approvals-badge');
  await badge.waitFor();
  const count = Number(await textOf(badge));
  check(
    Number.isInteger(count) && count >= 1,
    `the approvals badge should count ≥ 1, shows "${await textOf(badge)}"`,
  );

  await mainNav(page)
    .getByRole('link', { name: /^Approvals/ })
    .click();
  await page.waitForURL('**/approvals');
  await page.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
  const item = page.getByTestId('approval-item').filter({ hasText: orderNumber });
  await item.waitFor();
  const itemText = await textOf(item);
  for (const expected of ['Rita Requester', 'Virtual Machine', 'Small', 'CC-ENG-100', JUSTIFICATION]) {
    check(itemText.includes(expected), `the approval for ${orderNumber} should mention "${expected}"`);
  }
  await shot(page, '03a-approvals');

  await item.getByRole('button', { name: 'Approve', exact: true }).click();
  await page.getByText(`Approved ${orderNumber}`).waitFor();
  await item.waitFor({ state: 'detached' });
  await badge.waitFor({ state: 'detached' });
  await shot(page, '03-approve');
}

/**
 * 4. Nobody fulfils it: once approved, the private cloud's broker creates the VM. The requester
 * watches the order's tracker move (provisioning, with what the broker says it is doing) until
 * it is delivered; the fulfillers' queue never gets a task for it.
 */
async function deliver(j: Journey): Promise<void> {
  const { page } = need(j.requester, 'the requester session');
  const orderUrl = need(j.orderUrl, 'the order page address');
  const orderNumber = need(j.orderNumber, 'the order number');
  await page.goto(orderUrl);
  const seen = await watchDelivery(page, 'Virtual Machine', '04a-tracker-provisioning');

  const working = seen.filter(
    (s) =>
      s.stages.provisioning === 'current' &&
      /^Now: Create the VM, Private cloud is working on it/.test(s.now),
  );
  check(
    working.length > 0,
    `the tracker should show the VM being created (Provisioning now, "Now: Create the VM, Private cloud is working ` +
      `on it"); it showed ${seen.map((s) => `[${s.summary}]`).join(' → ')}`,
  );
  const progress = [...new Set(working.map((s) => s.progress).filter(Boolean))];
  check(
    progress.length > 0 &&
      progress.every((p) =>
        /^The broker accepted the request$|^Creating virtual machine: .+ \(\d+% complete\)\.$/.test(p),
      ),
    `while provisioning, the tracker should say what the broker is doing ("The broker accepted the request", ` +
      `"Creating virtual machine: … (N% complete)."); it said ${progress.map((p) => `"${p}"`).join(', ') || 'nothing'}`,
  );
  const last = seen.at(-1)!;
  check(
    last.status === 'delivered',
    `the order should end delivered; the tracker last showed [${last.summary}]`,
  );
  check(
    Object.values(last.stages).join(',') === 'done,done,done,skipped,done',
    `a delivered VM's stages should read approved, queued, provisioning done, configuring not needed, delivered; ` +
      `they read ${Object.entries(last.stages)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
  );
  const tracker = page
    .getByTestId('order-line')
    .filter({ hasText: 'Virtual Machine' })
    .getByTestId('line-tracker');
  check(
    /Delivered/.test(await textOf(tracker)),
    `the delivered tracker should say when it was delivered; it says "${await textOf(tracker)}"`,
  );
  console.log(`    tracker: ${[...new Set(seen.map((s) => s.summary))].join(' → ')}`);
  await shot(page, '04-delivered');

  // Delivered without a person: no task for it, open or done, in any fulfiller's queue.
  j.fulfiller ??= await session(j, FULFILLER);
  const tasks = await tasksFor(j.fulfiller.page, orderNumber);
  check(
    tasks.length === 0,
    `the broker delivers the VM alone, so ${orderNumber} should have no task; the queue has ${tasks.map((t) => t.title).join(', ')}`,
  );
}

/** 5. The requester finds the VM under My services, with its connection details and masked credentials. */
async function own(j: Journey): Promise<void> {
  const { page } = need(j.requester, 'the requester session');
  await mainNav(page).getByRole('link', { name: 'My services' }).click();
  await page.waitForURL('**/services');
  await page.getByRole('heading', { level: 1, name: 'My services' }).waitFor();
  const card = page.getByTestId('subscription-card').filter({ hasText: HOSTNAME });
  await card.waitFor();
  const text = await textOf(card);
  for (const expected of ['Virtual Machine', 'Small', 'CC-ENG-100', 'Active']) {
    check(text.includes(expected), `the subscription card should show "${expected}"; it says "${text}"`);
  }
  await shot(page, '05a-my-services');

  await card.getByRole('link', { name: HOSTNAME }).click();
  await page.waitForURL(/\/services\/[^/]+$/);
  j.subscriptionUrl = page.url();
  await page.getByRole('heading', { level: 1, name: HOSTNAME }).waitFor();
  const details = await openConnectionDetails(page);
  check(
    details.outputs.Hostname === HOSTNAME,
    `the connection details should name the VM ${HOSTNAME}; they say Hostname "${details.outputs.Hostname ?? ''}"`,
  );
  check(
    /^\d{1,3}(\.\d{1,3}){3}$/.test(details.outputs['IP address'] ?? ''),
    `the connection details should give the VM's IP address; they say "${details.outputs['IP address'] ?? ''}"`,
  );
  check(
    (details.outputs.FQDN ?? '').startsWith(`${HOSTNAME}.`),
    `the connection details should give the VM's FQDN; they say "${details.outputs.FQDN ?? ''}"`,
  );
  await shot(page, '05b-connection-details');

  // The password is masked until asked for; revealing it is recorded.
  const credentials = page.getByTestId('credentials');
  check(
    (await textOf(credentials)).includes('••••••'),
    `the credentials should be masked at first; they show "${await textOf(credentials)}"`,
  );
  await credentials.getByRole('button', { name: 'Reveal' }).click();
  const password = credentials.getByRole('group', { name: 'Password' });
  await password.waitFor();
  const revealed = (await textOf(password.locator('dd'))).trim();
  check(revealed.length >= 8, `the revealed password should be there; it is "${revealed}"`);
  check(
    !(await textOf(page.getByRole('region', { name: 'Connection details' }))).includes('••••••'),
    'once revealed, the credentials should no longer be masked',
  );
  await credentials.getByText('Revealing them was recorded in the audit log under your name.').waitFor();
  check(
    !Object.values(details.outputs).some((v) => v.includes(revealed)),
    'the password should show only where it was revealed, never among the connection details',
  );
  await shot(page, '05-own');
  await credentials.getByRole('button', { name: 'Hide' }).click();
  await credentials.getByRole('button', { name: 'Reveal' }).waitFor();
}

/** 6. The requester's order page shows submitted → approved → in fulfilment → the broker's step → delivered. */
async function track(j: Journey): Promise<void> {
  const { page } = need(j.requester, 'the requester session');
  const orderUrl = need(j.orderUrl, 'the order page address');
  const orderNumber = need(j.orderNumber, 'the order number');

  await mainNav(page).getByRole('link', { name: 'My requests' }).click();
  await page.waitForURL('**/orders');
  await page.getByTestId('order-row').filter({ hasText: orderNumber }).getByRole('link').click();
  await page.waitForURL(orderUrl);
  await page.locator('.page-header [data-status="delivered"]').waitFor();

  // One step inside fulfilment: the private cloud's broker creates the VM.
  const kinds = ['submitted', 'approved', 'in_fulfilment', 'step_started', 'step_done', 'delivered'];
  const events = page.getByTestId('timeline-event');
  await page.locator('[data-testid="timeline-event"][data-kind="delivered"]').waitFor();
  const seen = await events.evaluateAll((els) =>
    els
      .map((e) => ({
        kind: e.getAttribute('data-kind') ?? '',
        at: e.querySelector('time')?.getAttribute('datetime') ?? '',
        shown: e.querySelector('time')?.textContent?.trim() ?? '',
      }))
      .filter((e) => e.kind !== 'note'),
  );
  check(
    seen.map((e) => e.kind).join(',') === kinds.join(','),
    `the timeline should read ${kinds.join(' → ')}, reads ${seen.map((e) => e.kind).join(' → ')}`,
  );
  for (const e of seen) {
    check(
      !Number.isNaN(Date.parse(e.at)),
      `the "${e.kind}" event has no valid timestamp (datetime="${e.at}")`,
    );
    check(e.shown.length > 0, `the "${e.kind}" event shows no time`);
  }
  const times = seen.map((e) => Date.parse(e.at));
  check(
    times.every((t, i) => i === 0 || t >= times[i - 1]!),
    `the timeline events should be in order ${kinds.join(' → ')}`,
  );
  // The line's one delivery step, done by the private cloud.
  const steps = page.getByRole('list', { name: 'Delivery steps' }).locator('[data-status]');
  const states = await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
  const stepText = (await steps.allInnerTexts()).join(' | ').replace(/\s+/g, ' ');
  check(
    states.join(',') === 'done' && /Create the VM · Private cloud/.test(stepText),
    `the line should show one delivery step, "Create the VM" by the Private cloud, done; it shows ${states.join(', ')} (${stepText})`,
  );
  const stages = await stagesOf(page.getByTestId('line-tracker').first());
  check(
    Object.values(stages).join(',') === 'done,done,done,skipped,done',
    `the stages should read done, done, done, not needed, done; they read ${Object.values(stages).join(', ')}`,
  );
  check(
    (await page.getByTestId('timeline-upcoming').count()) === 0,
    'a delivered order should show no steps still to come',
  );
  await shot(page, '06-track');
}

/** 7. The requester raises a ticket from the subscription; the fulfiller sees it in the team tab. */
async function ticket(j: Journey): Promise<void> {
  const requester = need(j.requester, 'the requester session').page;
  await mainNav(requester).getByRole('link', { name: 'My services' }).click();
  await requester.waitForURL('**/services');
  await requester.getByTestId('subscription-card').getByRole('link', { name: HOSTNAME }).click();
  await requester.waitForURL(/\/services\/[^/]+$/);
  j.subscriptionUrl = requester.url();
  await requester.getByRole('heading', { level: 1, name: HOSTNAME }).waitFor();

  await requester
    .getByRole('group', { name: 'What you can do' })
    .getByRole('button', { name: 'Raise a ticket' })
    .click();
  const form = requester.getByRole('form', { name: "What's wrong?" });
  await form.waitFor();
  await form.getByLabel('Summary').fill(TICKET_SUMMARY);
  await form.getByLabel('Description').fill(TICKET_DESCRIPTION);
  await form.getByRole('button', { name: 'Raise ticket' }).click();
  const created = requester.getByTestId('subscription-notice');
  await created.waitFor();
  const number = /Ticket (\S+) raised/.exec(await textOf(created))?.[1];
  check(number, `the confirmation should name the new ticket, says "${await textOf(created)}"`);
  j.ticketNumber = number;
  await requester
    .getByRole('region', { name: 'Your tickets for this service' })
    .getByText(TICKET_SUMMARY)
    .waitFor();
  await shot(requester, '07a-ticket-raised');

  const fulfiller = need(j.fulfiller, 'the fulfiller session').page;
  await mainNav(fulfiller).getByRole('link', { name: 'Tickets' }).click();
  await fulfiller.waitForURL('**/tickets');
  await fulfiller
    .getByRole('navigation', { name: 'Ticket lists' })
    .getByRole('link', { name: 'My teams' })
    .click();
  await fulfiller.waitForURL('**/tickets?scope=team');
  const row = fulfiller.getByTestId('ticket-row').filter({ hasText: number });
  await row.waitFor();
  const text = await textOf(row);
  for (const expected of [TICKET_SUMMARY, HOSTNAME, 'Rita Requester', 'Open']) {
    check(text.includes(expected), `the team's ticket row should show "${expected}"; it says "${text}"`);
  }
  await shot(fulfiller, '07-ticket');
}

/** 8. The storefront home fits a phone: no sideways scrolling at 390 px. */
async function phone(j: Journey): Promise<void> {
  const { page } = await session(j, REQUESTER, PHONE);
  await page.getByRole('heading', { level: 1, name: 'What do you need, Rita?' }).waitFor();
  await page.getByTestId('service-card').first().waitFor();
  await page.getByRole('heading', { name: 'Browse by category' }).waitFor();
  await shot(page, '08-phone-home');
  const { scrollWidth, widest } = await page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    // The element reaching furthest right, to say what overflows if something does.
    let widest = '';
    let right = 0;
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect().right;
      if (r > right) {
        right = r;
        widest = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (right edge ${Math.round(r)} px)`;
      }
    }
    return { scrollWidth: root.scrollWidth, widest };
  });
  check(
    scrollWidth <= PHONE.width,
    `the storefront scrolls sideways on a phone: scrollWidth ${scrollWidth} > ${PHONE.width}; widest: ${widest}`,
  );
}

/** The storefront's search box with its dropdown, once the dropdown answers what was typed. */
async function suggestionsFor(page: Page, words: string): Promise<{ box: Locator; names: string[] }> {
  const box = page.getByRole('combobox', { name: 'Search the catalogue' });
  await box.click();
  await box.fill('');
  // Typed key by key, as a person would: the box debounces and answers the last words.
  await box.pressSequentially(words, { delay: 15 });
  const form = page.locator('form[role="search"]').filter({ has: box });
  // The live region speaks only once the results answer the current words (not while fetching).
  await form
    .getByRole('status')
    .filter({ hasText: /(\d+ suggestions?\. Use the arrow keys|No suggestions)/ })
    .waitFor({ state: 'attached' })
    .catch(() => {
      throw new CheckFailed(`typing "${words}" into the search box brought no answer in the dropdown`);
    });
  check(
    (await box.getAttribute('aria-expanded')) === 'true',
    `the search box should be expanded after typing "${words}"`,
  );
  const listbox = page.getByRole('listbox', { name: 'Matching services' });
  const names = (
    await listbox.locator('.suggestion:not(.suggestion--all) .suggestion__name').allInnerTexts()
  ).map((t) => t.trim());
  return { box, names };
}

/** 9. A newcomer types "postgress" on the storefront and opens Managed PostgreSQL with the keyboard. */
async function find(j: Journey): Promise<void> {
  const { page } = need(j.requester, 'the requester session');
  await page.getByRole('link', { name: 'Portico home' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByRole('heading', { level: 1, name: 'What do you need, Rita?' }).waitFor();

  const { box, names } = await suggestionsFor(page, TYPO);
  check(
    names[0] === POSTGRES.name,
    `the first suggestion for "${TYPO}" should be ${POSTGRES.name}; the dropdown lists ` +
      `${names.length ? names.map((n) => `"${n}"`).join(', ') : 'nothing'}`,
  );
  const first = page.getByRole('listbox', { name: 'Matching services' }).getByRole('option').first();

  // Keyboard only: ArrowDown highlights the first suggestion, Enter opens it.
  await box.press('ArrowDown');
  const firstId = await first.getAttribute('id');
  check(
    firstId && (await box.getAttribute('aria-activedescendant')) === firstId,
    `ArrowDown should make the first suggestion active (aria-activedescendant="${firstId}"), ` +
      `it is "${await box.getAttribute('aria-activedescendant')}"`,
  );
  check(
    (await first.getAttribute('aria-selected')) === 'true',
    'ArrowDown should mark the first suggestion aria-selected',
  );
  await shot(page, '09a-suggestions');

  await box.press('Enter');
  await page.waitForURL(`**/s/${POSTGRES.slug}`);
  await page.getByRole('heading', { level: 1, name: POSTGRES.name }).waitFor();
  await page.getByTestId('plan-card').first().waitFor();
  const plans = await page.getByTestId('plan-card').count();
  check(plans >= 2, `the ${POSTGRES.name} page should offer plans, shows ${plans}`);
  const alternatives = page.getByRole('region', { name: 'Alternatives' });
  await alternatives.waitFor();
  await alternatives.getByRole('link', { name: DBA.name, exact: true }).waitFor();
  j.foundUrl = page.url();
  await shot(page, '09-find');
}

/** 10. "Compare side by side": cloud against legacy, with a verdict and the differences marked. */
async function compare(j: Journey): Promise<void> {
  const { page } = need(j.requester, 'the requester session');
  const foundUrl = need(j.foundUrl, `the ${POSTGRES.name} page`);
  if (page.url() !== foundUrl) await page.goto(foundUrl);
  await page.getByRole('link', { name: 'Compare side by side' }).click();
  await page.waitForURL((url) => url.pathname === '/compare');
  const table = page.getByTestId('compare-table');
  await table.waitFor();
  const columns = table.locator('thead th.compare-col');
  const columnNames = async () =>
    (await columns.locator('.compare-col__name').allInnerTexts()).map((t) => t.trim());

  const picked = (new URL(page.url()).searchParams.get('services') ?? '').split(',');
  for (const slug of [POSTGRES.slug, DBA.slug]) {
    check(
      picked.includes(slug),
      `the comparison should include ${slug}; the address asks for ${picked.join(', ')}`,
    );
  }
  const opened = await columnNames();
  for (const name of [POSTGRES.name, DBA.name]) {
    check(
      opened.includes(name),
      `the comparison should show a column for ${name}; it shows ${opened.join(', ')}`,
    );
  }
  // The service page compares with every alternative; the newcomer's question is cloud against
  // legacy, so the other columns go (the ✕ on their heads).
  for (const name of opened.filter((n) => n !== POSTGRES.name && n !== DBA.name)) {
    const before = await columns.count();
    await page.getByRole('button', { name: `Remove ${name} from the comparison` }).click();
    await page
      .waitForFunction(
        (n) => document.querySelectorAll('[data-testid="compare-table"] thead th.compare-col').length === n,
        before - 1,
      )
      .catch(() => {
        throw new CheckFailed(`removing ${name} did not take its column out of the comparison`);
      });
  }
  await page.locator('.compare-scroll--busy').waitFor({ state: 'detached' });
  const names = await columnNames();
  check(
    names.join(' | ') === `${POSTGRES.name} | ${DBA.name}`,
    `the comparison should be ${POSTGRES.name} against ${DBA.name}, it is ${names.join(' against ')}`,
  );
  const services = new URL(page.url()).searchParams.get('services');
  check(
    services === `${POSTGRES.slug},${DBA.slug}`,
    `the address should now compare ${POSTGRES.slug},${DBA.slug}; it says services=${services}`,
  );
  const kinds = await columns
    .locator('[data-kind]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  check(
    kinds.join(',') === 'cloud,legacy',
    `the columns should be marked Cloud and Legacy, are ${kinds.join(', ')}`,
  );

  // The rows, as shown: label, values, and whether the page marks them as differing.
  const rows = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      key: tr.getAttribute('data-row') ?? '',
      differs: tr.classList.contains('compare-row--differs'),
      values: Array.from(tr.querySelectorAll('.compare-cell__value')).map((v) =>
        (v.textContent ?? '').trim(),
      ),
      background: getComputedStyle(tr.querySelector('.compare-row__label') ?? tr).backgroundColor,
    })),
  );
  check(rows.length >= 5, `the comparison should have rows of facts, has ${rows.length}`);
  for (const r of rows) {
    const differs = new Set(r.values).size > 1;
    check(
      r.differs === differs,
      `the "${r.key}" row (${r.values.join(' / ')}) is ${r.differs ? '' : 'not '}highlighted as different`,
    );
  }
  for (const key of ['kind', 'monthly', 'firstYear', 'leadTime']) {
    check(
      rows.find((r) => r.key === key)?.differs,
      `the "${key}" row should differ between cloud and legacy`,
    );
  }
  const differing = new Set(rows.filter((r) => r.differs).map((r) => r.background));
  const same = new Set(rows.filter((r) => !r.differs).map((r) => r.background));
  check(
    same.size > 0 && [...differing].every((bg) => !same.has(bg)),
    `differing rows should be painted differently from the rest: differing ${[...differing].join(', ')}; ` +
      `the rest ${[...same].join(', ') || '(no row is the same)'}`,
  );

  // The verdict, checked against the first-year costs in the table.
  const verdict = await textOf(page.getByTestId('verdict').locator('.verdict__text'));
  const m = /^Managed PostgreSQL: .*?(\d+)% cheaper over a year than (.+?)[.;]/.exec(verdict);
  check(m, `the verdict should read "${POSTGRES.name}: … % cheaper over a year than …", reads "${verdict}"`);
  check(m[2] === DBA.name, `the verdict should compare with ${DBA.name}, names "${m[2]}"`);
  const firstYear = rows.find((r) => r.key === 'firstYear')?.values ?? [];
  check(firstYear.length === 2, `the first-year row should have two values, has "${firstYear.join(' / ')}"`);
  const [cloud, legacy] = firstYear.map(cents) as [number, number];
  const saving = Math.round(((legacy - cloud) / legacy) * 100);
  check(
    Number(m[1]) === saving,
    `the verdict says ${m[1]}% cheaper; the first-year costs ${firstYear.join(' and ')} make it ${saving}%`,
  );
  j.compareUrl = page.url();
  await shot(page, '10a-compare');

  // The same comparison on a phone: the page keeps its width, the table scrolls in its box.
  const phone = (await session(j, REQUESTER, PHONE)).page;
  await phone.goto(j.compareUrl);
  await phone.getByTestId('verdict').waitFor();
  await phone.getByTestId('compare-table').locator('thead th.compare-col').nth(1).waitFor();
  await shot(phone, '10-compare-phone');
  const { scrollWidth, widest } = await sidewaysOverflow(phone);
  check(
    scrollWidth <= PHONE.width,
    `the comparison scrolls sideways on a phone: scrollWidth ${scrollWidth} > ${PHONE.width}; widest: ${widest}`,
  );
  await phone.context().close();
}

/** 11. From the comparison the requester orders Managed PostgreSQL: options, live price, SLA, submit. */
async function orderCompared(j: Journey): Promise<void> {
  const { page } = need(j.requester, 'the requester session');
  const compareUrl = need(j.compareUrl, 'the comparison');
  if (page.url() !== compareUrl) await page.goto(compareUrl);
  // The Order button at the foot of the Managed PostgreSQL column, for the plan compared there.
  const orderLink = page
    .getByTestId('compare-table')
    .locator('tfoot')
    .getByRole('link', { name: new RegExp(`^Order ${POSTGRES.name} — `) });
  const plan = ((await orderLink.getAttribute('aria-label')) ?? '').split(' — ')[1] ?? '';
  await orderLink.click();
  await page.waitForURL((url) => url.pathname === `/s/${POSTGRES.slug}` && url.searchParams.has('plan'));
  const checkout = page.getByRole('region', { name: `Checkout: ${POSTGRES.name} — ${plan}` });
  await checkout.waitFor().catch(() => {
    throw new CheckFailed(
      `ordering from the comparison should open the checkout for ${POSTGRES.name} — ${plan}`,
    );
  });

  // The options form from the service's schema: version (defaulted), database name (required, a pattern).
  const version = checkout.getByRole('radio', { name: 'PostgreSQL 17 (recommended)' });
  check(await version.isChecked(), 'the PostgreSQL version should default to 17');
  const dbName = checkout.getByRole('textbox', { name: 'Database name' });
  await dbName.fill('Orders DB');
  await dbName.blur();
  const dbNameId = (await dbName.getAttribute('id')) ?? '';
  const invalidIs = (value: 'true' | 'false') =>
    page.waitForFunction(
      ([id, v]) => document.getElementById(id)?.getAttribute('aria-invalid') === v,
      [dbNameId, value] as const,
      { timeout: 5_000 },
    );
  await invalidIs('true').catch(() => {
    throw new CheckFailed(
      'a database name with capitals and a space should be marked invalid on leaving the field',
    );
  });
  const errorId = await dbName.getAttribute('aria-describedby');
  const error = errorId ? await textOf(page.locator(`[id="${errorId}"]`)) : '';
  check(/Database name/.test(error), `the database name's error should name the field, says "${error}"`);
  await dbName.fill(DATABASE_NAME);
  await dbName.blur();
  await invalidIs('false').catch(() => {
    throw new CheckFailed(`"${DATABASE_NAME}" should be accepted as a database name`);
  });

  // The live price: high availability adds its surcharge to the monthly total at once.
  const monthly = checkout.getByTestId('monthly-total');
  const base = cents(await textOf(monthly));
  const ha = checkout.getByRole('checkbox', { name: /^High availability/ });
  const haLabel = await textOf(
    checkout.locator('label', { has: page.getByRole('checkbox', { name: /^High availability/ }) }),
  );
  const surcharge = cents(/\+ (€[\d,.]+)\/month/.exec(haLabel)?.[1] ?? `(no price in "${haLabel}")`);
  await ha.check();
  await checkout.getByTestId('options-surcharge').waitFor();
  const expected = base + surcharge;
  await page
    .waitForFunction(([el, want]) => (el as HTMLElement).innerText.replace(/[^\d]/g, '') === String(want), [
      await monthly.elementHandle(),
      expected,
    ] as const)
    .catch(async () => {
      throw new CheckFailed(
        `ticking high availability (${haLabel}) should make the monthly total ${(expected / 100).toFixed(2)}; ` +
          `it shows ${await textOf(monthly)}`,
      );
    });
  await checkout.getByRole('checkbox', { name: 'pgvector', exact: true }).check();

  await checkout.getByLabel('Business justification').fill(PG_JUSTIFICATION);
  await checkout.getByRole('checkbox', { name: 'I accept this SLA' }).check();
  const shownTotal = await textOf(monthly);
  await shot(page, '11a-checkout');

  await checkout.getByRole('button', { name: 'Submit request' }).click();
  await page.waitForURL(/\/orders\/[^/]+$/);
  const status = page.locator('.page-header [data-status]');
  await status.waitFor();
  const statusValue = await status.getAttribute('data-status');
  check(
    statusValue === 'pending_approval',
    `the new order should be pending approval, the page says "${await textOf(status)}" (${statusValue})`,
  );
  await page.getByRole('heading', { level: 1, name: POSTGRES.name }).waitFor();
  // The server priced the line the same as the live price in the summary.
  const line = await textOf(page.locator('.line-item').first());
  check(
    line.includes(`${shownTotal}/month`),
    `the order should cost ${shownTotal}/month as the checkout said; the line reads "${line}"`,
  );
  await page.locator('[data-testid="timeline-event"][data-kind="submitted"]').waitFor();
  await shot(page, '11-order-compared');
}

/** 12. A catalogue manager edits a published service's tagline; drafts stay out of the requester's sight. */
async function catalogAdmin(j: Journey): Promise<void> {
  const { page } = await session(j, CATALOG_MANAGER);
  await mainNav(page).getByRole('link', { name: 'Catalogue admin' }).click();
  await page.waitForURL('**/catalogue-admin');
  await page.getByRole('heading', { level: 1, name: 'Catalogue admin' }).waitFor();
  const rows = page.getByTestId('admin-service-row');
  await rows.first().waitFor();
  const rowOf = (slug: string) => page.locator(`[data-testid="admin-service-row"][data-slug="${slug}"]`);
  const lifecycleOf = (slug: string) =>
    rowOf(slug).locator('[data-lifecycle]').getAttribute('data-lifecycle');
  for (const draft of DRAFTS) {
    await rowOf(draft.slug)
      .waitFor()
      .catch(() => {
        throw new CheckFailed(`the draft ${draft.slug} is not listed in the catalogue admin`);
      });
    const badge = await lifecycleOf(draft.slug);
    check(badge === 'draft', `${draft.slug} should carry a draft badge, carries "${badge}"`);
    check(
      (await textOf(rowOf(draft.slug))).includes('Draft'),
      `${draft.slug}'s row should say Draft, says "${await textOf(rowOf(draft.slug))}"`,
    );
  }
  // The Drafts tab lists the drafts and nothing else.
  const tabs = page.getByRole('navigation', { name: 'Services by status' });
  await tabs.getByRole('link', { name: /^Drafts/ }).click();
  await page.waitForURL((url) => url.searchParams.get('status') === 'draft');
  await tabs.locator('[aria-current="page"]', { hasText: 'Drafts' }).waitFor();
  await page
    .waitForFunction(() =>
      Array.from(document.querySelectorAll('[data-testid="admin-service-row"] [data-lifecycle]')).every(
        (b) => b.getAttribute('data-lifecycle') === 'draft',
      ),
    )
    .catch(() => {
      throw new CheckFailed('the Drafts tab still lists services that are not drafts');
    });
  const drafts = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-slug')));
  for (const draft of DRAFTS) {
    check(
      drafts.includes(draft.slug),
      `the Drafts tab should list ${draft.slug}; it lists ${drafts.join(', ')}`,
    );
  }
  await shot(page, '12a-admin-drafts');
  await tabs.getByRole('link', { name: /^All/ }).click();
  await page.waitForURL((url) => !url.searchParams.has('status'));

  // Open the published service and change its tagline.
  await page.getByRole('searchbox', { name: 'Find a service' }).fill(EDITED.name);
  const row = rowOf(EDITED.slug);
  await row.waitFor();
  check((await lifecycleOf(EDITED.slug)) === 'published', `${EDITED.slug} should be published`);
  await row.getByRole('link', { name: EDITED.name, exact: true }).click();
  await page.waitForURL(`**/catalogue-admin/services/${EDITED.slug}`);
  const bar = page.getByRole('region', { name: 'Save and publish' });
  await bar.getByText(/^version \d+$/).waitFor();
  const versionOf = async () => Number(/version (\d+)/.exec(await textOf(bar))?.[1]);
  const before = await versionOf();
  check(
    Number.isInteger(before) && before >= 1,
    `the editor should show the version, says "${await textOf(bar)}"`,
  );

  const tagline = page.getByRole('textbox', { name: /^Tagline/ });
  await tagline.fill(NEW_TAGLINE);
  await bar.getByText('Unsaved changes').waitFor();
  await bar.getByRole('button', { name: 'Save', exact: true }).click();
  const notice = page.getByTestId('editor-notice');
  await notice.waitFor();
  check(
    (await textOf(notice)).includes(`version ${before + 1} is live`),
    `saving should make version ${before + 1} live, the notice says "${await textOf(notice)}"`,
  );
  await bar.getByText('All changes saved').waitFor();
  const after = await versionOf();
  check(
    after === before + 1,
    `the version should go from ${before} to ${before + 1}, the editor shows ${after}`,
  );
  const history = page.getByTestId('version-history');
  const items = await history.locator('li').evaluateAll((lis) =>
    lis.map((li) => ({
      number: li.querySelector('.versions__number')?.textContent?.trim() ?? '',
      live: !!li.querySelector('.versions__live'),
      text: (li.textContent ?? '').replace(/\s+/g, ' ').trim(),
    })),
  );
  const listed = items.map((v) => `"${v.text}"${v.live ? ' (live)' : ''}`).join(', ');
  check(
    items[0]?.number === `v${after}` && items[0].live,
    `the version history should list v${after} first, marked live; it lists ${listed}`,
  );
  check(
    items.some((v) => v.number === `v${before}` && !v.live),
    `the version history should still list v${before}, no longer live; it lists ${listed}`,
  );
  await shot(page, '12b-admin-saved');

  // The requester sees the new tagline at once.
  const requester = need(j.requester, 'the requester session').page;
  await requester.goto(`/s/${EDITED.slug}`);
  await requester.getByRole('heading', { level: 1, name: EDITED.name }).waitFor();
  const subtitle = await textOf(requester.locator('.page-header__subtitle'));
  check(
    subtitle === NEW_TAGLINE,
    `the service page should show the new tagline "${NEW_TAGLINE}", shows "${subtitle}"`,
  );
  const shownVersion = await textOf(requester.getByTestId('service-version'));
  check(
    shownVersion === `version ${after}`,
    `the service page should be at version ${after}, says "${shownVersion}"`,
  );
  await shot(requester, '12c-tagline-live');

  // A draft is not there for a requester: not by its address, not by search.
  const draft = DRAFTS[0]!;
  await requester.goto(`/s/${draft.slug}`);
  const notFound = requester
    .getByRole('alert')
    .filter({ has: requester.getByRole('heading', { name: 'Not found' }) });
  await notFound.waitFor().catch(async () => {
    throw new CheckFailed(
      `/s/${draft.slug} should show the not-found state to a requester; the page says ` +
        `"${(await textOf(requester.locator('main'))).slice(0, 200)}"`,
    );
  });
  check(
    (await requester.getByRole('heading', { level: 1, name: draft.name }).count()) === 0,
    `a requester should not see the draft's page title "${draft.name}"`,
  );
  await shot(requester, '12d-draft-not-found');

  // Searching for a draft by its name finds nothing, in the dropdown or on the results page.
  await requester.getByRole('link', { name: 'Portico home' }).click();
  await requester.getByRole('heading', { level: 1, name: 'What do you need, Rita?' }).waitFor();
  for (const d of [...DRAFTS].reverse()) {
    const { names } = await suggestionsFor(requester, d.name);
    check(
      names.length === 0,
      `searching for "${d.name}" should suggest nothing` +
        `${names.includes(d.name) ? ' (and never the draft itself)' : ''}; suggests ${names.join(', ')}`,
    );
    await requester.getByText(`No service matches “${d.name}” yet`).waitFor();
  }
  const box = requester.getByRole('combobox', { name: 'Search the catalogue' });
  await box.press('Enter');
  await requester.getByRole('heading', { name: `Results for “${draft.name}”` }).waitFor();
  // Settled: the count answers these words and no search is still running.
  await requester
    .waitForFunction((q) => {
      const count = document.getElementById('result-count');
      return !!count?.textContent?.includes(`for “${q}”`) && !count.querySelector('.spinner');
    }, draft.name)
    .catch(() => {
      throw new CheckFailed(`the search page for "${draft.name}" did not settle`);
    });
  const found = (await requester.getByTestId('service-card').locator('h3').allInnerTexts()).map((t) =>
    t.trim(),
  );
  check(
    found.length === 0,
    `the search page for "${draft.name}" should find nothing` +
      `${found.includes(draft.name) ? ' (and never the draft itself)' : ''}; it lists ${found.join(', ')}`,
  );
  await requester.getByRole('heading', { name: `Nothing matches “${draft.name}”` }).waitFor();
  await shot(requester, '12-draft-not-found-by-search');
}

const steps: { name: string; run: (j: Journey) => Promise<void> }[] = [
  { name: 'browse', run: browse },
  { name: 'order', run: order },
  { name: 'approve', run: approve },
  { name: 'deliver', run: deliver },
  { name: 'own', run: own },
  { name: 'track', run: track },
  { name: 'ticket', run: ticket },
  { name: 'phone', run: phone },
  { name: 'find', run: find },
  { name: 'compare', run: compare },
  { name: 'order-compared', run: orderCompared },
  { name: 'catalog-admin', run: catalogAdmin },
  ...approvalSteps,
  ...fulfilmentSteps,
  ...billingSteps,
];

// ---------------------------------------------------------------------------------------------
// The runner

class Aborted extends Error {}

/** A Playwright error without its browser log and colours: the first lines say what went wrong. */
function describe(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err))
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split(/\n\s*Browser logs:/)[0]!;
  return text
    .split('\n')
    .filter((line) => line.trim())
    .slice(0, 8)
    .join('\n    ');
}

async function main(): Promise<number> {
  const started = performance.now();
  let passed = 0;
  let failed = 0;

  // The hard time limit and Ctrl-C both abort: the running step fails, the rest do not run,
  // and the browser, the portal and the data dir are cleaned up all the same.
  let abort: (reason: Aborted) => void = () => {};
  const aborted = new Promise<never>((_, reject) => (abort = reject));
  aborted.catch(() => {}); // handled where it is raced
  const bounded = <T>(p: Promise<T>) => Promise.race([p, aborted]);
  let interrupted = false;
  const timer = setTimeout(
    () => abort(new Aborted(`hard timeout: the run took longer than ${HARD_TIMEOUT_MS / 60_000} min`)),
    HARD_TIMEOUT_MS,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      abort(new Aborted(`interrupted by ${signal}`));
    });
  }

  let dataDir: string | undefined;
  let portal: Portal | undefined;
  let browser: Browser | undefined;
  const sessions: Session[] = [];
  let setupError: string | undefined;
  let webBuiltAt: number | undefined;
  try {
    try {
      if (!existsSync(WEB_INDEX)) {
        throw new Error(
          `${path.relative(ROOT, WEB_INDEX)} is missing: build the web app first with \`npm run build:web\``,
        );
      }
      if (!existsSync(CHROMIUM)) {
        throw new Error(
          `no Chromium at ${CHROMIUM}: install it (apt-get update && apt-get install -y chromium) ` +
            'or set CHROMIUM_PATH',
        );
      }
      webBuiltAt = statSync(WEB_INDEX).mtimeMs;
      mkdirSync(ARTIFACTS, { recursive: true });
      for (const f of readdirSync(ARTIFACTS)) if (f.endsWith('.png')) rmSync(path.join(ARTIFACTS, f));
      dataDir = mkdtempSync(path.join(tmpdir(), 'portico-e2e-'));

      const t0 = performance.now();
      const starting = startPortal(dataDir);
      // Kept even when the race is lost, so an abort during start-up still stops it.
      void starting.then((p) => (portal = p)).catch(() => {});
      portal = await bounded(starting);
      const launching = chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        // Ctrl-C and SIGTERM are handled above, so the portal and the data dir go too.
        handleSIGINT: false,
        handleSIGTERM: false,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          '--disable-sync',
          '--disable-quic',
        ],
      });
      void launching.then((b) => (browser = b)).catch(() => {});
      browser = await bounded(launching);
      console.log(
        `portal at ${portal.baseUrl}, Chromium ${browser.version()} (${seconds(performance.now() - t0)})`,
      );
    } catch (err) {
      setupError = describe(err);
      console.log(`✗ setup: ${setupError}`);
    }

    const journey: Journey | undefined =
      portal && browser
        ? { browser, baseUrl: portal.baseUrl, brokerUrl: portal.brokerUrl, sessions }
        : undefined;
    // Each step takes what it needs from the steps before (and says so when it is missing), so
    // one failure does not hide the results of the steps that can still run.
    let blockedBy: string | undefined = setupError ? 'setup failed' : undefined;
    for (const [i, step] of steps.entries()) {
      const label = `${i + 1} ${step.name}`;
      if (blockedBy || !journey) {
        failed++;
        console.log(`✗ ${label} (not run: ${blockedBy ?? 'setup failed'})`);
        continue;
      }
      const t = performance.now();
      try {
        await bounded(step.run(journey));
        passed++;
        console.log(`✓ ${label} (${seconds(performance.now() - t)})`);
      } catch (err) {
        failed++;
        console.log(`✗ ${label} (${seconds(performance.now() - t)}): ${describe(err)}`);
        if (err instanceof Aborted) {
          blockedBy = err.message;
          continue;
        }
        for (const [n, s] of sessions.entries()) {
          await s.page
            .screenshot({
              path: path.join(ARTIFACTS, `failed-${i + 1}-${step.name}-${n + 1}.png`),
              fullPage: true,
            })
            .catch(() => {});
        }
        // What the browser complained about since the last failure.
        const problems = sessions.flatMap((s) => s.problems.splice(0));
        if (problems.length) console.log(`    browser said:\n      ${problems.slice(-10).join('\n      ')}`);
      }
    }
    if (failed > 0 && portal && !interrupted) {
      const out = portal.output().trim();
      if (out) console.log(`\nportal output (last lines):\n  ${out.split('\n').slice(-20).join('\n  ')}`);
    }
    if (
      failed > 0 &&
      webBuiltAt !== undefined &&
      existsSync(WEB_INDEX) &&
      statSync(WEB_INDEX).mtimeMs !== webBuiltAt
    ) {
      console.log(
        '\nnote: apps/web/dist was rebuilt while this ran; the portal only serves the files it found at ' +
          'start-up, so pages may have failed to load their scripts. Run it again.',
      );
    }
  } finally {
    clearTimeout(timer);
    // The clean-up has its own bounds: a wedged browser or portal cannot keep the run alive.
    await Promise.race([browser?.close().catch(() => {}), sleep(10_000)]);
    await portal?.stop().catch(() => {});
    if (dataDir) rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
  }

  console.log(
    `\nscreenshots in ${path.relative(process.cwd(), ARTIFACTS) || ARTIFACTS}; ` +
      `${seconds(performance.now() - started)} in all`,
  );
  console.log(`${passed} passed, ${failed} failed`);
  if (interrupted) return 130;
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
