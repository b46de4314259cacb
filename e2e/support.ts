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
// What the steps hand on to each other

export interface Journey {
  browser: Browser;
  baseUrl: string;
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
