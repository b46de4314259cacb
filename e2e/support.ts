// What the browser journey's steps share: the demo accounts, signing in, checks that fail with a
// message, screenshots, and reading amounts off the page. The runner is journey.e2e.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');

export const ACTION_TIMEOUT_MS = 15_000; // one click, fill or wait
export const TASK_POLL_MS = 20_000; // the approved line's task is created by a background job
export const PASSWORD = 'portico-demo';
export const REQUESTER = 'requester@example.com';
export const MANAGER = 'manager@example.com';
export const OWNER = 'owner@example.com';
export const FULFILLER = 'fulfiller@example.com';
export const FINANCE = 'finance@example.com';
/**
 * The demo's simulated private cloud (DEMO_BROKER in apps/server/src/seed/demo.seed.ts), which the
 * portal starts beside itself; the journey runs it at 0.3 of demo time: a small VM takes 6–11 s.
 */
export const BROKER = { username: 'portico', password: 'portico-broker-demo', timeScale: 0.3 };
/** From approval to delivered for a broker-made VM: a job, a few 5-second polls, the bind. */
export const DELIVERY_TIMEOUT_MS = 60_000;
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

// ---------------------------------------------------------------------------------------------
// Small helpers

export class CheckFailed extends Error {}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailed(message);
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function shot(page: Page, name: string): Promise<void> {
  // From the top, so the sticky top bar is not painted into the middle of a full-page image.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        window.scrollTo({ top: 0, left: 0, behavior: 'instant' });
        requestAnimationFrame(() => resolve());
      }),
  );
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The text of a locator as shown, with whitespace collapsed, for messages and comparisons. */
export async function textOf(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

/** Euros as shown ("€1,140.00") in cents, for exact arithmetic on what the page says. */
export function cents(text: string): number {
  const m = /€\s?(\d[\d,]*)\.(\d\d)\b/.exec(text);
  check(m, `no euro amount in "${text}"`);
  return Number(m[1]!.replace(/,/g, '')) * 100 + Number(m[2]);
}

/**
 * How far the page itself scrolls sideways, and the element reaching furthest right to name when
 * it does. Content inside a container that scrolls on its own (a wide table) does not count.
 */
export async function sidewaysOverflow(page: Page): Promise<{ scrollWidth: number; widest: string }> {
  // No named helpers inside: the callback is serialised into the page as it is.
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    let widest = '';
    let right = 0;
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect().right;
      if (r <= right) continue;
      let clipped = false;
      for (let p = el.parentElement; p && p !== document.body && !clipped; p = p.parentElement) {
        clipped = getComputedStyle(p).overflowX !== 'visible';
      }
      if (clipped) continue;
      right = r;
      widest = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (right edge ${Math.round(r)} px)`;
    }
    return { scrollWidth: Math.max(root.scrollWidth, document.body.scrollWidth), widest };
  });
}

// ---------------------------------------------------------------------------------------------
// Browser sessions

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console errors seen in this session, for failure reports. */
  problems: string[];
}

/** A fresh browser context signed in through the login form. */
export async function signIn(
  browser: Browser,
  baseUrl: string,
  email: string,
  viewport: { width: number; height: number },
  sessions: Session[],
): Promise<Session> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  const problems: string[] = [];
  // Registered before signing in, so a failed sign-in still gets its screenshot and messages.
  const s: Session = { context, page, problems };
  sessions.push(s);
  page.on('pageerror', (err) => problems.push(`[${email}] page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location().url || page.url();
    // Signed out, the app asks /api/me and gets the expected 401.
    if (msg.text().includes('status of 401') && where.endsWith('/api/me')) return;
    problems.push(`[${email}] console: ${msg.text()} (${where})`);
  });

  await page.goto('/login');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.getByRole('link', { name: 'Portico home' }).waitFor();
  return s;
}

export function mainNav(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Main' });
}

// ---------------------------------------------------------------------------------------------
// Fulfilment as the pages show it, and the private cloud as its broker holds it

const STAGES = ['approved', 'queued', 'provisioning', 'configuring', 'delivered'] as const;
export type StageKey = (typeof STAGES)[number];

/** A line's stage strip as shown: each stage's state (done, current, held, next, skipped). */
export async function stagesOf(tracker: Locator): Promise<Record<StageKey, string>> {
  const states = await tracker
    .getByRole('list', { name: 'Delivery stages' })
    .locator('li')
    .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-state') ?? ''));
  check(
    states.length === STAGES.length,
    `the tracker should show ${STAGES.length} stages, shows ${states.length}`,
  );
  return Object.fromEntries(STAGES.map((k, i) => [k, states[i]!])) as Record<StageKey, string>;
}

/** One look at an order line's tracker while the requester watches it. */
export interface TrackerSeen {
  /** The order's status (the page header). */
  status: string;
  stages: Record<StageKey, string>;
  /** "Now: Create the VM, Private cloud is working on it — …", or empty. */
  now: string;
  /** What the step says it is doing now (the part of `now` after the dash). */
  progress: string;
  /** Each delivery step's status. */
  steps: string[];
  /** The timeline's updates so far (retries and the like). */
  notes: string[];
  summary: string;
}

/**
 * Watches the order page (which refreshes itself every 5 s while the order moves) until the line
 * is delivered, looking every 200 ms and keeping each distinct view; the first view with
 * provisioning under way is screenshotted as `shotName`.
 */
export async function watchDelivery(page: Page, what: string, shotName: string): Promise<TrackerSeen[]> {
  const line = page.getByTestId('order-line').filter({ hasText: what });
  const tracker = line.getByTestId('line-tracker');
  await tracker.waitFor();
  const seen: TrackerSeen[] = [];
  let shotTaken = false;
  const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
  for (;;) {
    const status = (await page.locator('.page-header [data-status]').getAttribute('data-status')) ?? '';
    const stages = await stagesOf(tracker);
    // No named helpers inside: the callback is serialised into the page as it is.
    const view = await line.evaluate((el) => ({
      now: ((el.querySelector('.tracker__now') as HTMLElement | null)?.innerText ?? '')
        .replace(/\s+/g, ' ')
        .trim(),
      progress: ((el.querySelector('.tracker__progress') as HTMLElement | null)?.innerText ?? '')
        .replace(/\s+/g, ' ')
        .trim()
        .replace(/^— /, ''),
      steps: Array.from(el.querySelectorAll('[aria-label="Delivery steps"] > li')).map(
        (li) => li.getAttribute('data-status') ?? '',
      ),
    }));
    const notes = (
      await page.locator('[data-testid="timeline-event"][data-kind="note"]').allInnerTexts()
    ).map((t) => t.replace(/\s+/g, ' ').trim());
    const summary =
      `${status}: ${STAGES.map((k) => `${k} ${stages[k]}`).join(', ')}` +
      (view.now ? ` — "${view.now}"` : '');
    if (seen.at(-1)?.summary !== summary || seen.at(-1)?.notes.length !== notes.length)
      seen.push({ status, stages, ...view, notes, summary });
    if (!shotTaken && stages.provisioning === 'current') {
      shotTaken = true;
      await shot(page, shotName);
    }
    if (status === 'delivered' && stages.delivered === 'done') return seen;
    check(
      Date.now() < deadline,
      `"${what}" was not delivered within ${DELIVERY_TIMEOUT_MS / 1000} s; the tracker went ` +
        seen.map((v) => `[${v.summary}]`).join(' → '),
    );
    await sleep(200);
  }
}

/**
 * A subscription page's "Connection details", every row unfolded: label → value, without the
 * credentials (masked or revealed), which have their own block.
 */
export async function openConnectionDetails(page: Page): Promise<{ outputs: Record<string, string> }> {
  const region = page.getByRole('region', { name: 'Connection details' });
  await region.waitFor();
  const more = region.locator('details.sub-more');
  if ((await more.count()) > 0 && (await more.getAttribute('open')) === null) {
    await more.locator('summary').click();
  }
  const outputs = await region.evaluate((el) =>
    Object.fromEntries(
      Array.from(el.querySelectorAll('dl > div'))
        .filter((row) => !row.closest('[data-testid="credentials"]'))
        .map((row) => [
          (row.querySelector('dt')?.textContent ?? '').trim(),
          (row.querySelector('dd')?.textContent ?? '').trim(),
        ]),
    ),
  );
  return { outputs };
}

/** The fulfillers' tasks for an order, open and done, as the work queue's API lists them. */
export async function tasksFor(
  page: Page,
  orderNumber: string,
): Promise<{ id: string; title: string; status: string }[]> {
  const found = [];
  for (const status of ['open', 'done']) {
    const res = await page.request.get(
      `/api/tasks?status=${status}&q=${encodeURIComponent(orderNumber)}&limit=100`,
    );
    check(res.ok(), `GET /api/tasks?status=${status} answered ${res.status()}`);
    const { items } = (await res.json()) as {
      items: { id: string; title: string; status: string; order: { number: string } }[];
    };
    found.push(...items.filter((t) => t.order.number === orderNumber));
  }
  return found;
}

/** A request to the demo broker (OSB, or its test-double controls under /admin) with its basic auth. */
export async function brokerRequest(
  j: Journey,
  method: 'GET' | 'PUT',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(new URL(path, j.brokerUrl), {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${BROKER.username}:${BROKER.password}`).toString('base64')}`,
      'x-broker-api-version': '2.17',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(ACTION_TIMEOUT_MS),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

// ---------------------------------------------------------------------------------------------
// What the steps hand on to each other

export interface Journey {
  browser: Browser;
  baseUrl: string;
  /** The demo's simulated private-cloud broker (brokerRequest). */
  brokerUrl: string;
  sessions: Session[];
  requester?: Session;
  manager?: Session;
  fulfiller?: Session;
  orderUrl?: string;
  orderNumber?: string;
  subscriptionUrl?: string;
  ticketNumber?: string;
  /** The Managed PostgreSQL page the requester found (step 9 → 10). */
  foundUrl?: string;
  /** The comparison the requester ordered from (step 10 → 11). */
  compareUrl?: string;
  /** Olga Owner, who owns the cost centres (step 14 on). */
  owner?: Session;
  /** What the cart showed and what its checkout placed (step 13 on). */
  cart?: CartOrder;
  /** The order the manager rejects (step 17). */
  rejected?: { url: string; number: string };
  /** The laptop ordered in step 18, fulfilled by hand in step 19. */
  laptop?: { url: string; number: string };
  /** The VM delivered despite a flaky broker (step 21), decommissioned in step 22. */
  flaky?: { url: string; number: string; hostname: string; instanceId: string; subscriptionId: string };
  /** The month finance closed (step 25) and its exported lines of CC-ENG-100, amounts in cents. */
  billing?: { month: string; lines: { kind: string; amount: number }[] };
}

/** One item as the cart priced and routed it. */
export interface CartLine {
  /** "GPU Virtual Machine · NVIDIA L4", as the cart and the order name it. */
  what: string;
  /** In cents. */
  monthly: number;
  firstYear: number;
  /** Business days from approval to delivery, as the cart said. */
  leadDays: number;
  /** The approval stages the cart announced, in order ("Line manager"). */
  stages: string[];
}

/** The order placed from the cart: where it is, and what the cart said about its lines. */
export interface CartOrder {
  url: string;
  number: string;
  vm: CartLine;
  gpu: CartLine;
  /** The cart's budget gauge for this month: what was committed and what the order added, in cents. */
  monthCommitted: number;
  monthRequest: number;
}

export function need<T>(value: T | undefined, what: string): T {
  check(value !== undefined, `${what} is missing (an earlier step did not get that far)`);
  return value;
}

export async function session(j: Journey, email: string, viewport = DESKTOP): Promise<Session> {
  return signIn(j.browser, j.baseUrl, email, viewport, j.sessions);
}
