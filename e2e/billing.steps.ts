// Steps 24–26 of the browser journey: costs and the monthly bill (issue 7). The cost-centre owner
// reads this month's costs for CC-ENG-100 (figures, trend, breakdown, the usage behind a line)
// and last month's draft; finance closes last month from Billing › Months and downloads its three
// exports; the owner then reads last month's statement, which matches the export. Costs and
// Billing fit a phone. Needs the demo's history (closed months up to two months ago, last month
// open). The runner is journey.e2e.ts; the helpers are in support.ts.
import { readFile } from 'node:fs/promises';
import type { Download, Locator, Page } from 'playwright-core';
import {
  FINANCE,
  OWNER,
  PHONE,
  cents,
  check,
  mainNav,
  need,
  session,
  shot,
  sidewaysOverflow,
  textOf,
  type Journey,
} from './support.ts';

const COST_CENTRE = 'CC-ENG-100';
/** A close rates a month of the demo's history: give it more than one click's time. */
const CLOSE_TIMEOUT_MS = 120_000;

const monthOf = (date: Date) => date.toISOString().slice(0, 7);
/** The month before the running one, in UTC as the portal counts months. */
function lastMonth(): string {
  const now = new Date();
  return monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)));
}
const monthName = (month: string) =>
  new Intl.DateTimeFormat('en-IE', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );

/** RFC 4180 as the exports write it: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

/** A CSV as records keyed by its header. */
function records(text: string): { header: string[]; rows: Record<string, string>[] } {
  const [header = [], ...body] = parseCsv(text.replace(/^\uFEFF/, ''));
  return { header, rows: body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) };
}

/** A decimal string ("12.30", "-0.5") in cents, exactly (the exports round once, per line). */
function decimalCents(amount: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  check(m, `"${amount}" is not an amount with at most two decimals`);
  const value = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -value : value;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The costs page of a cost centre and month, loaded. */
async function openCosts(page: Page, month?: string): Promise<void> {
  await page.goto(`/costs/${COST_CENTRE}${month ? `?month=${month}` : ''}`);
  await page.getByTestId('costs-total').waitFor();
  if (month)
    await page
      .getByTestId('month-shown')
      .filter({ hasText: monthName(month) })
      .waitFor();
}

/** The page's lines as (kind, amount in cents), for comparing with an export. */
async function linesShown(page: Page): Promise<{ kind: string; amount: number }[]> {
  const rows = page.getByTestId('cost-line');
  const out = [];
  for (const row of await rows.all()) {
    out.push({
      kind: (await row.getAttribute('data-kind')) ?? '',
      amount: cents(await textOf(row.locator('.cost-lines__amount'))),
    });
  }
  return out;
}

/** 24. The owner reads this month's costs of CC-ENG-100, drills into a usage line, and opens last month. */
async function ownerCosts(j: Journey): Promise<void> {
  const { page } = (j.owner ??= await session(j, OWNER));
  await mainNav(page).getByRole('link', { name: 'Costs' }).click();
  await page.waitForURL('**/costs');
  await page.getByRole('heading', { level: 1, name: 'Costs' }).waitFor();
  const card = page.locator(`[data-testid="costs-card"][data-code="${COST_CENTRE}"]`);
  await card.waitFor();
  await shot(page, '24a-costs');
  await card.getByRole('link', { name: COST_CENTRE }).click();
  await page.waitForURL(`**/costs/${COST_CENTRE}`);

  const total = cents(await textOf(page.getByTestId('costs-total')));
  const forecast = cents(await textOf(page.getByTestId('costs-forecast')));
  check(
    forecast >= total,
    `the forecast (${forecast / 100}) should not be below the month to date (${total / 100})`,
  );
  check(
    (await page.getByTestId('month-state').getAttribute('data-state')) === 'running',
    'this month should be shown as running (a draft)',
  );
  const bars = await page.getByTestId('cost-trend').locator('g[data-month]').count();
  check(bars === 12, `the trend chart should have 12 months, has ${bars}`);

  const byService = await page.getByTestId('by-service-amount').allInnerTexts();
  check(byService.length > 0, 'the breakdown by service should list the services charged');
  const byServiceTotal = sum(byService.map(cents));
  check(
    byServiceTotal === total,
    `the breakdown by service adds up to ${byServiceTotal / 100}, the month to date is ${total / 100}`,
  );
  await shot(page, '24b-costs-month');

  // The usage behind a usage line: the events it was counted from.
  const usageLines = page.locator('[data-testid="cost-line"][data-kind="usage"]');
  check((await usageLines.count()) > 0, 'this month should have usage lines');
  let events = 0;
  for (const line of (await usageLines.all()).slice(0, 5)) {
    await line.getByRole('button', { name: 'Usage behind it' }).click();
    const behind = page.getByTestId('usage-behind');
    await behind.waitFor();
    events = await behind.getByTestId('usage-record').count();
    if (events > 0) break;
    await line.getByRole('button', { name: 'Hide usage' }).click();
  }
  check(events > 0, 'a usage line should open the usage events behind it');
  await shot(page, '24c-usage-behind');

  // Last month: ended, not closed yet, so still a draft.
  const month = lastMonth();
  await page.getByRole('link', { name: 'Previous month' }).click();
  await page
    .getByTestId('month-shown')
    .filter({ hasText: monthName(month) })
    .waitFor();
  await page.waitForURL((url) => url.searchParams.get('month') === month);
  const state = await page.getByTestId('month-state').getAttribute('data-state');
  check(state === 'open', `${monthName(month)} should be ended and open (not closed yet); it is ${state}`);
  check(
    /Draft/.test(await textOf(page.getByTestId('month-state'))),
    `an open month should say it is a draft`,
  );
  await shot(page, '24-last-month-draft');
}

/** Downloads an export by its button and checks the file's name; returns its records. */
async function download(
  card: Locator,
  label: string,
  fileName: string,
): Promise<{ header: string[]; rows: Record<string, string>[] }> {
  const page = card.page();
  const [file]: [Download, void] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('link', { name: new RegExp(`^⬇? ?${label}`) }).click(),
  ]);
  check(
    file.suggestedFilename() === fileName,
    `the ${label} should download as ${fileName}, got ${file.suggestedFilename()}`,
  );
  const path = await file.path();
  check(path, `the ${label} download did not finish: ${await file.failure()}`);
  return records(await readFile(path, 'utf8'));
}

/** 25. Finance closes last month from Billing › Months and downloads its three exports. */
async function financeCloses(j: Journey): Promise<void> {
  const { page } = await session(j, FINANCE);
  const month = lastMonth();
  await mainNav(page).getByRole('link', { name: 'Billing' }).click();
  await page.waitForURL('**/billing');
  await page.getByRole('navigation', { name: 'Billing' }).getByRole('link', { name: 'Months' }).click();
  await page.waitForURL((url) => url.searchParams.get('tab') === 'months');
  const card = page.locator(`[data-testid="billing-month"][data-month="${month}"]`);
  await card.locator('[data-testid="period-state"]').waitFor();
  const before = await card.locator('[data-testid="period-state"]').getAttribute('data-state');
  check(before === 'open', `${monthName(month)} should be open before finance closes it; it is ${before}`);

  await card.getByRole('button', { name: 'Close month…' }).click();
  const dialog = page.getByRole('dialog', { name: `Close ${monthName(month)}?` });
  await dialog.waitFor();
  check(/final/i.test(await textOf(dialog)), 'the close dialog should say that closing is final');
  await shot(page, '25a-close-dialog');
  await dialog.getByRole('button', { name: 'Close the month' }).click();
  const result = page.getByTestId('close-result').or(page.getByTestId('close-error'));
  await result.waitFor({ timeout: CLOSE_TIMEOUT_MS });
  check(
    (await page.getByTestId('close-error').count()) === 0,
    `closing ${monthName(month)} failed: ${await textOf(result)}`,
  );
  console.log(`    close: ${await textOf(result)}`);
  await card.locator('[data-testid="period-state"][data-state="closed"]').waitFor();
  await shot(page, '25b-closed');

  // The statements' total as the month's card shows it ("· 3 statements · €1,234.56").
  const statementsTotal = cents(await textOf(card.locator('p', { hasText: 'statement' })));

  const lines = await download(card, 'Statement lines CSV', `portico-${month}-lines.csv`);
  for (const column of ['period', 'cost_centre_code', 'subscription_id', 'kind', 'quantity', 'amount']) {
    check(
      lines.header.includes(column),
      `lines.csv should have a ${column} column; it has ${lines.header.join(', ')}`,
    );
  }
  check(lines.rows.length > 0, 'lines.csv should have lines');
  check(
    lines.rows.every((r) => r.period === month),
    `every row of lines.csv should be of ${month}`,
  );
  const linesTotal = sum(lines.rows.map((r) => decimalCents(r.amount!)));
  check(
    linesTotal === statementsTotal,
    `lines.csv adds up to ${linesTotal / 100}, the statements to ${statementsTotal / 100}`,
  );

  const focus = await download(card, 'FOCUS CSV', `portico-${month}-focus.csv`);
  for (const column of [
    'BilledCost',
    'BillingPeriodStart',
    'BillingPeriodEnd',
    'ChargePeriodStart',
    'Tags',
  ]) {
    check(focus.header.includes(column), `the FOCUS file should have a ${column} column`);
  }
  check(
    focus.rows.every((r) => r.BillingPeriodStart!.startsWith(month)),
    `every FOCUS row should be billed in ${month}`,
  );
  check(
    sum(focus.rows.map((r) => decimalCents(r.BilledCost!))) === linesTotal,
    'the FOCUS file’s BilledCost should add up to the statement lines',
  );
  const tags = JSON.parse(focus.rows[0]!.Tags!) as Record<string, unknown>;
  check(typeof tags === 'object' && tags !== null, 'Tags should be a JSON object');

  const journal = await download(card, 'Journal CSV', `portico-${month}-journal.csv`);
  for (const column of ['debit_account', 'credit_account', 'amount']) {
    check(journal.header.includes(column), `the journal should have a ${column} column`);
  }
  check(journal.rows.length > 0, 'the journal should have rows');
  check(
    journal.rows.every((r) => /^CC-/.test(r.debit_account!) && r.credit_account === 'CC-IT-900'),
    'each journal row should debit a cost centre and credit IT (CC-IT-900)',
  );
  j.billing = {
    month,
    lines: lines.rows
      .filter((r) => r.cost_centre_code === COST_CENTRE)
      .map((r) => ({ kind: r.kind!, amount: decimalCents(r.amount!) })),
  };
  await shot(page, '25-exports');
}

/** 26. The owner reads last month's statement: closed, with the lines finance exported. */
async function ownerStatement(j: Journey): Promise<void> {
  const billing = need(j.billing, 'the exported statement lines');
  const { page } = (j.owner ??= await session(j, OWNER));
  await openCosts(page, billing.month);
  const state = page.getByTestId('month-state');
  check(
    (await state.getAttribute('data-state')) === 'closed' && /Statement/.test(await textOf(state)),
    `${monthName(billing.month)} should now show its statement (closed); it shows "${await textOf(state)}"`,
  );
  const shown = await linesShown(page);
  const key = (l: { kind: string; amount: number }) => `${l.kind}:${l.amount}`;
  check(
    shown.map(key).sort().join(',') === billing.lines.map(key).sort().join(','),
    `the statement of ${COST_CENTRE} should show the lines exported for it: page ${shown.length} lines ` +
      `(${sum(shown.map((l) => l.amount)) / 100}), export ${billing.lines.length} lines ` +
      `(${sum(billing.lines.map((l) => l.amount)) / 100})`,
  );
  check(
    cents(await textOf(page.getByTestId('costs-total'))) === sum(billing.lines.map((l) => l.amount)),
    'the statement total should be the sum of its lines',
  );
  await shot(page, '26a-statement');

  // A phone: Costs for the owner, Billing for finance, without sideways scrolling.
  const phone = await session(j, OWNER, PHONE);
  for (const [url, name] of [
    ['/costs', '26b-phone-costs'],
    [`/costs/${COST_CENTRE}?month=${billing.month}`, '26c-phone-statement'],
  ] as const) {
    await phone.page.goto(url);
    await phone.page.locator('[data-testid="costs-card"], [data-testid="costs-total"]').first().waitFor();
    const { scrollWidth, widest } = await sidewaysOverflow(phone.page);
    check(
      scrollWidth <= PHONE.width,
      `${url} scrolls sideways on a phone: ${scrollWidth} px; widest: ${widest}`,
    );
    await shot(phone.page, name);
  }
  const financePhone = await session(j, FINANCE, PHONE);
  for (const [url, name] of [
    ['/billing', '26d-phone-billing'],
    ['/billing?tab=months', '26e-phone-months'],
  ] as const) {
    await financePhone.page.goto(url);
    await financePhone.page
      .locator('[data-testid="billing-cc-row"], [data-testid="billing-month"] [data-testid="period-state"]')
      .first()
      .waitFor();
    const { scrollWidth, widest } = await sidewaysOverflow(financePhone.page);
    check(
      scrollWidth <= PHONE.width,
      `${url} scrolls sideways on a phone: ${scrollWidth} px; widest: ${widest}`,
    );
    await shot(financePhone.page, name);
  }
  await shot(page, '26-statement');
}

export const billingSteps: { name: string; run: (j: Journey) => Promise<void> }[] = [
  { name: 'owner-costs', run: ownerCosts },
  { name: 'finance-closes', run: financeCloses },
  { name: 'owner-statement', run: ownerStatement },
];
