// Steps 13–17 of the browser journey: the cart, checkout and the approval chain.
//
// The requester fills a cart with a Virtual Machine (with options, under EUR 5,000 a year: the
// line manager approves) and a GPU Virtual Machine (EUR 5,000 a year or more: the manager, then
// the cost-centre owner), sees the estimates, the budget impact and who approves each line, and
// checks out. The manager and the cost-centre owner approve from their inboxes; a second order is
// rejected by the manager and stops there. The order's timeline shows the expected delivery date,
// worked out in the business calendar, at every turn.
import type { Locator, Page } from 'playwright-core';
import {
  PHONE,
  FULFILLER,
  MANAGER,
  OWNER,
  REQUESTER,
  TASK_POLL_MS,
  CheckFailed,
  cents,
  check,
  mainNav,
  need,
  session,
  shot,
  sidewaysOverflow,
  sleep,
  textOf,
  type CartLine,
  type Journey,
} from './support.ts';

const RUN_ID = Math.random().toString(36).slice(2, 6);
const VM = { slug: 'virtual-machine', name: 'Virtual Machine', plan: 'medium', planName: 'Medium' };
const GPU = { slug: 'gpu-virtual-machine', name: 'GPU Virtual Machine', plan: 'l4', planName: 'NVIDIA L4' };
const BIG_GPU = { plan: 'a100', planName: 'NVIDIA A100' };
const COST_CENTRE = { code: 'CC-ENG-100', name: 'Engineering – Platform' };
const OTHER_COST_CENTRE = 'CC-ENG-200';
const SPENDING = {
  policy: 'Spending',
  everythingElse: 'Everything else',
  large: 'Large requests (EUR 5,000 a year or more)',
  /** The rule's threshold, first-year cost in cents. */
  largeFrom: 5_000_00,
  smallBelow: 300_00,
};
const CART_JUSTIFICATION = `A GPU box for model training and a RHEL test server (browser journey ${RUN_ID}).`;
const BIG_JUSTIFICATION = `An A100 of our own for the training runs (browser journey ${RUN_ID}).`;
const REJECT_COMMENT =
  'Please use the shared GPU pool for the training runs; an A100 of our own is too much.';
/** The seeded business calendar: Europe/Berlin, Monday to Friday, and its holidays. */
const CALENDAR_ZONE = 'Europe/Berlin';

// ---------------------------------------------------------------------------------------------
// Reading the pages

/** Cents as the app shows euros: €8,280.00. */
const eur = (c: number) =>
  `€${(c / 100).toLocaleString('en-IE', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** A price list (one-time, monthly, first year) as cents by its row label; "none" counts 0. */
async function priceList(list: Locator): Promise<Record<string, number>> {
  const rows = await list
    .locator(':scope > div')
    .evaluateAll((divs) =>
      divs.map((d) => [
        d.querySelector('dt')?.textContent?.trim() ?? '',
        d.querySelector('dd')?.textContent?.trim() ?? '',
      ]),
    );
  const out: Record<string, number> = {};
  for (const [label, value] of rows) out[label!] = value === 'none' ? 0 : cents(value!);
  for (const label of ['One-time', 'Monthly', 'First year']) {
    check(
      label in out,
      `the price list should have a "${label}" row; it reads ${rows.map((r) => r.join(' ')).join(' | ')}`,
    );
  }
  return out;
}

interface BudgetPeriodSeen {
  after: number;
  budget: number;
  committed: number;
  request: number;
  left: number;
}

/** One bar of a budget gauge ("This month", "This year"), as the figures written under it. */
async function budgetPeriod(gauge: Locator, label: 'This month' | 'This year'): Promise<BudgetPeriodSeen> {
  const bar = gauge.getByTestId('budget-bar').filter({ hasText: label });
  const summary = (await bar.getByRole('img').getAttribute('aria-label')) ?? '';
  const head = /: (€[\d,.]+) of (€[\d,.]+)/.exec(summary);
  check(head, `the "${label}" bar should say "… €x of €y" to a screen reader; it says "${summary}"`);
  const legend = await textOf(bar.locator('.budget-bar__legend'));
  const committed = /Committed (€[\d,.]+)/.exec(legend)?.[1];
  const request = /This request (€[\d,.]+)/.exec(legend)?.[1];
  const left = /(€[\d,.]+) left/.exec(legend)?.[1];
  check(
    committed && request && left,
    `the "${label}" bar should name what is committed, this request and what is left; it says "${legend}"`,
  );
  return {
    after: cents(head[1]!),
    budget: cents(head[2]!),
    committed: cents(committed),
    request: cents(request),
    left: cents(left),
  };
}

/** "26 Nov 2026" (the app's en-IE dates) as 2026-11-26. */
function isoOf(shown: string): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const m = /(\d{1,2}) ([A-Z][a-z]{2})[a-z]* (\d{4})/.exec(shown);
  const month = m ? months.indexOf(m[2]!) : -1;
  check(m && month >= 0, `no date in "${shown}"`);
  return `${m[3]}-${String(month + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
}

/**
 * Today plus `days` working days in the seeded business calendar (Europe/Berlin, Monday to
 * Friday, the year's Christmas and New Year holidays), as the portal counts them.
 */
function businessDaysFromToday(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: CALENDAR_ZONE }).format(new Date());
  const year = new Date().getUTCFullYear();
  const holidays = new Set([
    ...['12-24', '12-25', '12-26', '12-31'].map((d) => `${year}-${d}`),
    `${year + 1}-01-01`,
  ]);
  let day = new Date(`${today}T12:00:00Z`);
  for (let left = days; left > 0;) {
    day = new Date(day.getTime() + 86_400_000);
    const iso = day.toISOString().slice(0, 10);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6 && !holidays.has(iso)) left--;
  }
  return day.toISOString().slice(0, 10);
}

/** The order page, fresh from the server (it also refreshes itself every 5 s while live). */
export async function openOrder(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('.page-header [data-status]').waitFor();
}

async function orderStatus(page: Page): Promise<string> {
  return (await page.locator('.page-header [data-status]').getAttribute('data-status')) ?? '';
}

function orderLine(page: Page, what: string): Locator {
  return page.getByTestId('order-line').filter({ hasText: what });
}

interface StageSeen {
  state: string;
  text: string;
}

/** A line's approval record on the order page, opened as the requester would open it. */
async function lineApproval(page: Page, what: string): Promise<{ summary: string; stages: StageSeen[] }> {
  const line = orderLine(page, what);
  await line.waitFor();
  const details = line.locator('details');
  check((await details.count()) === 1, `the order line ${what} should have its approval record`);
  const summary = await textOf(details.locator('summary'));
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  const chain = details.getByTestId('approval-chain');
  await chain.waitFor();
  const stages = await chain.getByTestId('route-stage').evaluateAll((lis) =>
    lis.map((li) => ({
      state: li.getAttribute('data-state') ?? '',
      text: ((li as HTMLElement).innerText || '').replace(/\s+/g, ' ').trim(),
    })),
  );
  return { summary, stages };
}

/** "Expected by …" on an order line, as an ISO date; null when the line shows none. */
async function lineExpected(page: Page, what: string): Promise<string | null> {
  const text = await textOf(orderLine(page, what));
  const m = /Expected by (\d{1,2} \w+ \d{4})/.exec(text);
  return m ? isoOf(m[1]!) : null;
}

/** "Expected around …" on the timeline's Delivered step still to come; null when it shows none. */
async function timelineExpected(page: Page): Promise<string | null> {
  const delivered = page.locator('[data-testid="timeline-upcoming"][data-kind="delivered"]');
  if ((await delivered.count()) === 0) return null;
  const m = /Expected around (\d{1,2} \w+ \d{4})/.exec(await textOf(delivered));
  return m ? isoOf(m[1]!) : null;
}

/** The expected dates on the order page, checked against the business calendar. */
async function checkExpected(
  page: Page,
  want: { what: string; date: string }[],
  when: string,
): Promise<void> {
  for (const { what, date } of want) {
    const shown = await lineExpected(page, what);
    check(
      shown === date,
      `${when}, ${what} should be expected by ${date} (business days in ${CALENDAR_ZONE}); ` +
        `the line says ${shown ?? 'no date'}`,
    );
  }
  const latest = want
    .map((w) => w.date)
    .sort()
    .at(-1);
  const onTimeline = await timelineExpected(page);
  check(
    onTimeline === latest,
    `${when}, the timeline should say the order is expected around ${latest}; it says ${onTimeline ?? 'nothing'}`,
  );
}

/** Pending approvals as the inbox lists them: item, order number, what, and its own page's address. */
async function inbox(page: Page): Promise<{ id: string; number: string; title: string }[]> {
  await page.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
  await page
    .getByRole('list', { name: 'Pending approvals' })
    .or(page.getByRole('heading', { name: 'Nothing waits for you' }))
    .first()
    .waitFor();
  return page.getByTestId('approval-item').evaluateAll((items) =>
    items.map((item) => ({
      id: (item.querySelector('h2 a')?.getAttribute('href') ?? '').split('/').pop() ?? '',
      number: /ORD-\d+/.exec(item.querySelector('.approval__eyebrow')?.textContent ?? '')?.[0] ?? '',
      title: (item.querySelector('h2')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    })),
  );
}

function approvalItem(page: Page, number: string, what: string): Locator {
  return page
    .getByTestId('approval-item')
    .filter({ hasText: number })
    .filter({ has: page.getByRole('heading', { level: 2, name: what, exact: true }) });
}

export async function openApprovals(page: Page): Promise<void> {
  await page.goto('/');
  await mainNav(page)
    .getByRole('link', { name: /^Approvals/ })
    .click();
  await page.waitForURL((url) => url.pathname === '/approvals');
}

/** The notification bell's panel, opened; its unread count as the button says it once loaded. */
async function openBell(page: Page): Promise<{ panel: Locator; unread: number }> {
  const bell = page.getByRole('button', { name: /^Notifications/ });
  await bell.click();
  const panel = page.getByRole('region', { name: 'Notifications' });
  await panel.getByTestId('notification').first().waitFor();
  const label = (await bell.getAttribute('aria-label')) ?? '';
  return { panel, unread: Number(/(\d+) unread/.exec(label)?.[1] ?? 0) };
}

/** A service's page with a plan chosen: its checkout panel (order now, or add to the cart). */
export async function openCheckout(
  page: Page,
  service: { slug: string; name: string },
  plan: string,
  planName: string,
): Promise<Locator> {
  await page.goto(`/s/${service.slug}`);
  await page.getByRole('heading', { level: 1, name: service.name }).waitFor();
  await page
    .locator(`[data-testid="plan-card"][data-plan="${plan}"]`)
    .getByRole('button', { name: 'Order' })
    .click();
  const checkout = page.getByRole('region', { name: `Checkout: ${service.name} — ${planName}` });
  await checkout.waitFor();
  return checkout;
}

// ---------------------------------------------------------------------------------------------
// The steps

/**
 * 13. The requester fills the cart from two service pages, sees each item's estimate and the
 * total, the budget impact on the cost centre chosen and who approves each line, and checks out.
 */
async function cart(j: Journey): Promise<void> {
  const { page } = need(j.requester, 'the requester session');
  const cartLink = page.getByRole('link', { name: /^Cart, / });

  // A Virtual Machine with options that cost extra: RHEL and a 100 GB data disk.
  let checkout = await openCheckout(page, VM, VM.plan, VM.planName);
  check(
    (await cartLink.getAttribute('aria-label')) === 'Cart, empty',
    `the cart should start empty (earlier steps ordered directly); the top bar says "${await cartLink.getAttribute('aria-label')}"`,
  );
  const planMonthly = cents(await textOf(checkout.getByTestId('monthly-total')));
  await checkout.getByLabel('Operating system').selectOption('rhel-9');
  await checkout.getByRole('spinbutton', { name: /^Extra data disk/ }).fill('100');
  await checkout.getByTestId('options-surcharge').waitFor();
  const vmMonthly = cents(await textOf(checkout.getByTestId('monthly-total')));
  check(
    vmMonthly > planMonthly,
    `RHEL and a data disk should cost extra: the monthly total stayed ${eur(vmMonthly)} (plan ${eur(planMonthly)})`,
  );
  await checkout.getByRole('button', { name: 'Add to cart' }).click();
  const added = checkout.getByTestId('added-to-cart');
  await added.waitFor();
  check(
    (await textOf(added)).includes(`Added ${VM.name} · ${VM.planName} to your cart (1 item)`),
    `adding should confirm what went into the cart; it says "${await textOf(added)}"`,
  );
  await page.getByRole('link', { name: 'Cart, 1 item', exact: true }).waitFor();

  // A GPU machine: over EUR 5,000 in its first year.
  checkout = await openCheckout(page, GPU, GPU.plan, GPU.planName);
  await checkout.getByRole('button', { name: 'Add to cart' }).click();
  await checkout.getByTestId('added-to-cart').filter({ hasText: '(2 items)' }).waitFor();
  const toCart = page.getByRole('link', { name: 'Cart, 2 items', exact: true });
  await toCart.waitFor();
  const badge = await textOf(page.getByTestId('cart-badge'));
  check(badge === '2', `the cart badge in the top bar should show 2, shows "${badge}"`);

  await toCart.click();
  await page.waitForURL((url) => url.pathname === '/cart');
  await page.getByRole('heading', { level: 1, name: 'Your cart' }).waitFor();
  const items = page.getByRole('list', { name: 'Items in your cart' }).getByTestId('cart-item');
  await items.nth(1).waitFor();
  check((await items.count()) === 2, `the cart should hold 2 items, holds ${await items.count()}`);

  // The cost centre drives budget and approvers: another one, then back to the platform's.
  const summary = page.getByRole('complementary', { name: 'Order summary' });
  const costCentre = summary.getByLabel('Cost centre');
  check(
    (await costCentre.inputValue()) === COST_CENTRE.code,
    `the cart should be priced for Rita's cost centre ${COST_CENTRE.code} first, is for "${await costCentre.inputValue()}"`,
  );
  await costCentre.selectOption(OTHER_COST_CENTRE);
  await summary.getByRole('region', { name: `Budget impact on ${OTHER_COST_CENTRE}` }).waitFor();
  await page
    .getByRole('region', { name: `Who will approve ${GPU.name} · ${GPU.planName}` })
    .getByText(`Owns cost centre ${OTHER_COST_CENTRE}`)
    .waitFor()
    .catch(() => {
      throw new CheckFailed(
        `choosing ${OTHER_COST_CENTRE} should make its owner the GPU line's second approver`,
      );
    });
  await costCentre.selectOption(COST_CENTRE.code);
  const gauge = summary.getByRole('region', { name: `Budget impact on ${COST_CENTRE.code}` });
  await gauge.waitFor();
  await page.waitForURL((url) => url.searchParams.get('costCentre') === COST_CENTRE.code);
  await summary.and(page.locator('.cart-summary--busy')).waitFor({ state: 'detached' });

  // Each item: its estimate, when it arrives, and who approves it under which policy and rule.
  const seen: Partial<Record<'vm' | 'gpu', CartLine>> = {};
  for (const [key, s] of [
    ['vm', VM],
    ['gpu', GPU],
  ] as const) {
    const what = `${s.name} · ${s.planName}`;
    const item = page.getByRole('article', { name: what });
    await item.waitFor().catch(() => {
      throw new CheckFailed(`the cart should list ${what}`);
    });
    const price = await priceList(item.locator('.cart-item__price dl'));
    check(
      price['First year'] === price['One-time']! + 12 * price.Monthly!,
      `${what}: the first year should be one-time + 12 × monthly = ` +
        `${eur(price['One-time']! + 12 * price.Monthly!)}; the cart says ${eur(price['First year']!)}`,
    );
    const lead = /Delivered (?:(\d+) business days?|the same day) /.exec(await textOf(item));
    check(lead, `${what} should say when it is delivered after approval`);
    const route = page.getByRole('region', { name: `Who will approve ${what}` });
    const stageTexts = (await route.getByTestId('route-stage').allInnerTexts()).map((t) =>
      t.replace(/\s+/g, ' '),
    );
    const routeText = await textOf(route);
    seen[key] = {
      what,
      monthly: price.Monthly!,
      firstYear: price['First year']!,
      leadDays: Number(lead[1] ?? 0),
      stages: stageTexts.map((t) =>
        t.includes('Cost-centre owner')
          ? 'Cost-centre owner'
          : t.includes('Line manager')
            ? 'Line manager'
            : t,
      ),
    };
    const rule = key === 'gpu' ? SPENDING.large : SPENDING.everythingElse;
    check(
      routeText.includes(`${SPENDING.policy} › ${rule}`),
      `${what} should say it is routed by policy ${SPENDING.policy}, rule "${rule}"; it says "${routeText}"`,
    );
    check(
      stageTexts[0]?.includes('Line manager') && stageTexts[0].includes('Max Manager'),
      `${what}: the first approver should be the line manager, Max Manager; the cart says "${stageTexts[0] ?? '(no stage)'}"`,
    );
    if (key === 'gpu') {
      check(
        stageTexts[1]?.includes('Olga Owner') &&
          stageTexts[1].includes(`Owns cost centre ${COST_CENTRE.code}`),
        `${what}: the second approver should be Olga Owner, who owns ${COST_CENTRE.code}; the cart says "${stageTexts[1] ?? '(no stage)'}"`,
      );
    } else {
      // The options chosen on the service page came along (shown as labels or as raw values).
      const itemText = await textOf(item);
      check(
        /Red Hat Enterprise Linux 9|rhel-9/.test(itemText) && /\b100\b/.test(itemText),
        `${what} should keep the options chosen (RHEL 9, a 100 GB disk); the cart item says "${itemText}"`,
      );
    }
  }
  const lines = {
    vm: need(seen.vm, 'the VM in the cart'),
    gpu: need(seen.gpu, 'the GPU machine in the cart'),
  };
  check(
    lines.vm.monthly === vmMonthly,
    `the VM costs ${eur(vmMonthly)}/month on its page with its options, ${eur(lines.vm.monthly)} in the cart`,
  );

  // The total is the sum of the items.
  const total = await priceList(summary.getByTestId('cart-total'));
  const itemLists = await Promise.all(
    [0, 1].map((i) => priceList(items.nth(i).locator('.cart-item__price dl'))),
  );
  for (const label of ['One-time', 'Monthly', 'First year']) {
    const sum = itemLists.reduce((acc, l) => acc + l[label]!, 0);
    check(
      total[label] === sum,
      `the cart's ${label.toLowerCase()} total should be the items' sum ${eur(sum)}; it says ${eur(total[label]!)}`,
    );
  }

  // The budget impact on CC-ENG-100, for this month and the rest of the year.
  const month = await budgetPeriod(gauge, 'This month');
  const year = await budgetPeriod(gauge, 'This year');
  const monthsLeft = 12 - new Date().getUTCMonth();
  const wants: [string, number, number][] = [
    [
      'this month: the order adds its one-time and monthly cost',
      month.request,
      total['One-time']! + total.Monthly!,
    ],
    [
      `this year: the order adds one-time + ${monthsLeft} months`,
      year.request,
      total['One-time']! + monthsLeft * total.Monthly!,
    ],
    ['this month: after = committed + this request', month.after, month.committed + month.request],
    ['this year: after = committed + this request', year.after, year.committed + year.request],
    ['this month: left = budget − after', month.left, month.budget - month.after],
    ['this year: left = budget − after', year.left, year.budget - year.after],
    ["the year's budget is the seeded EUR 60,000", year.budget, 60_000_00],
    ['the month has a twelfth of it', month.budget, 5_000_00],
  ];
  for (const [what, shown, want] of wants) {
    check(shown === want, `budget gauge, ${what}: expected ${eur(want)}, the cart shows ${eur(shown)}`);
  }
  const outcome = gauge.locator('[data-outcome]');
  check(
    (await outcome.getAttribute('data-outcome')) === 'within' &&
      /^✓? ?Within budget/.test(await textOf(outcome)),
    `the cart is well within budget and should say so; the gauge says "${await textOf(outcome)}"`,
  );
  await shot(page, '13a-cart');

  // The cart on a phone: no sideways scrolling.
  const phone = (await session(j, REQUESTER, PHONE)).page;
  await phone.goto(`/cart?costCentre=${COST_CENTRE.code}`);
  await phone.getByTestId('cart-item').nth(1).waitFor();
  await phone.getByRole('region', { name: `Budget impact on ${COST_CENTRE.code}` }).waitFor();
  await shot(phone, '13b-cart-phone');
  const { scrollWidth, widest } = await sidewaysOverflow(phone);
  await phone.context().close();
  check(
    scrollWidth <= PHONE.width,
    `the cart scrolls sideways on a phone: scrollWidth ${scrollWidth} > ${PHONE.width}; widest: ${widest}`,
  );

  // Check out: why, by when, the SLAs.
  const neededBy = businessDaysFromToday(15);
  await page.getByLabel('Business justification').fill(CART_JUSTIFICATION);
  await page.getByLabel('Needed by').fill(neededBy);
  await page.getByRole('checkbox', { name: 'I accept these 2 SLAs' }).check();
  await summary.getByRole('button', { name: 'Submit request (2 items)' }).click();
  await page.waitForURL(/\/orders\/[^/]+$/);
  await page.getByRole('status').filter({ hasText: 'Request submitted' }).waitFor();
  const number = await textOf(
    page.getByRole('navigation', { name: 'Breadcrumb' }).locator('[aria-current="page"]'),
  );
  await page.getByRole('heading', { level: 1, name: `Order ${number}` }).waitFor();
  check(
    (await orderStatus(page)) === 'pending_approval',
    `the new order should wait for approval; its status is "${await orderStatus(page)}"`,
  );
  j.cart = {
    url: page.url(),
    number,
    vm: lines.vm,
    gpu: lines.gpu,
    monthCommitted: month.committed,
    monthRequest: month.request,
  };

  // The order holds what the cart priced.
  for (const l of [lines.vm, lines.gpu]) {
    const text = await textOf(orderLine(page, l.what));
    check(
      text.includes(`1 × ${eur(l.monthly)}/month`),
      `the order line ${l.what} should cost ${eur(l.monthly)}/month as the cart said; it reads "${text}"`,
    );
  }
  const details = await textOf(page.getByRole('region', { name: 'Details' }));
  for (const expected of [CART_JUSTIFICATION, `${COST_CENTRE.code} — ${COST_CENTRE.name}`]) {
    check(details.includes(expected), `the order's details should show "${expected}"; they say "${details}"`);
  }
  // The labels are set in capitals, which innerText keeps.
  const neededShown = /Needed by (\d{1,2} \w+ \d{4})/i.exec(details)?.[1];
  check(
    neededShown && isoOf(neededShown) === neededBy,
    `the order should be needed by ${neededBy}; the details say "${neededShown ?? '(no date)'}"`,
  );
  await page.locator('[data-testid="timeline-event"][data-kind="submitted"]').waitFor();
  // While approvals wait: a working day per stage still to decide, then the lead time.
  await checkExpected(
    page,
    [lines.vm, lines.gpu].map((l) => ({
      what: l.what,
      date: businessDaysFromToday(l.stages.length + l.leadDays),
    })),
    'just placed',
  );
  // The top bar's count catches up with the checkout by itself.
  await page
    .getByRole('link', { name: 'Cart, empty', exact: true })
    .waitFor({ timeout: 5_000 })
    .catch(async () => {
      throw new CheckFailed(
        `after checkout the cart should be empty; the top bar says "${await cartLink.getAttribute('aria-label')}"`,
      );
    });
  await shot(page, '13-cart-order');
}

/**
 * 14. Over the threshold, an extra stage: the GPU line (first year ≥ EUR 5,000) goes to the
 * manager and then the cost-centre owner, the VM line to the manager only — in the cart and on
 * the order. The owner is not asked before the manager has approved.
 */
async function twoStage(j: Journey): Promise<void> {
  const placed = need(j.cart, 'the order placed from the cart');
  const { vm, gpu } = placed;
  check(
    gpu.firstYear >= SPENDING.largeFrom,
    `the GPU line should cost EUR 5,000 or more in its first year; the cart said ${eur(gpu.firstYear)}`,
  );
  check(
    vm.firstYear >= SPENDING.smallBelow && vm.firstYear < SPENDING.largeFrom,
    `the VM line should cost between EUR 300 and EUR 5,000 in its first year; the cart said ${eur(vm.firstYear)}`,
  );
  check(
    gpu.stages.join(' → ') === 'Line manager → Cost-centre owner',
    `the cart should route the GPU line to the line manager, then the cost-centre owner; it showed ${gpu.stages.join(' → ')}`,
  );
  check(
    vm.stages.join(' → ') === 'Line manager',
    `the cart should route the VM line to the line manager only; it showed ${vm.stages.join(' → ')}`,
  );

  const { page } = need(j.requester, 'the requester session');
  await openOrder(page, placed.url);
  const g = await lineApproval(page, gpu.what);
  check(
    g.stages.length === 2 &&
      g.stages[0]!.text.includes('Line manager') &&
      g.stages[1]!.text.includes('Cost-centre owner'),
    `on the order, the GPU line should have two stages, line manager then cost-centre owner; it has ` +
      `${g.stages.map((s) => `"${s.text}"`).join(', ')}`,
  );
  check(
    g.stages.map((s) => s.state).join(',') === 'pending,waiting',
    `the GPU line's first stage should be waiting for a decision and the second not started; they are ` +
      `${g.stages.map((s) => s.state).join(', ')}`,
  );
  check(
    g.stages[0]!.text.includes('Max Manager'),
    `the first stage should name Max Manager; it says "${g.stages[0]!.text}"`,
  );
  check(
    g.summary.includes('waiting for Max Manager (stage 1 of 2)'),
    `the GPU line should say it waits for Max Manager, stage 1 of 2; it says "${g.summary}"`,
  );
  const v = await lineApproval(page, vm.what);
  check(
    v.stages.length === 1 && v.stages[0]!.state === 'pending' && v.stages[0]!.text.includes('Line manager'),
    `on the order, the VM line should have one stage, the line manager, waiting; it has ` +
      `${v.stages.map((s) => `"${s.text}" (${s.state})`).join(', ')}`,
  );
  check(
    v.summary.includes('waiting for Max Manager (stage 1 of 1)'),
    `the VM line should say it waits for Max Manager, stage 1 of 1; it says "${v.summary}"`,
  );
  // The timeline's approval step shows both lines' chains while they wait.
  const chains = page.getByTestId('line-chain');
  check(
    (await chains.count()) === 2,
    `the timeline should show 2 chains waiting, shows ${await chains.count()}`,
  );
  await shot(page, '14-two-stage');

  // The owner is asked only once the manager has approved: nothing for her yet.
  j.owner = await session(j, OWNER);
  const owner = j.owner.page;
  await openApprovals(owner);
  const waiting = await inbox(owner);
  check(
    !waiting.some((a) => a.number === placed.number),
    `the cost-centre owner should not be asked about ${placed.number} before the manager decides; her inbox lists ` +
      `${waiting.map((a) => `${a.number} ${a.title}`).join(', ')}`,
  );
  await shot(owner, '14a-owner-not-yet');
}

/**
 * 15. The manager: the inbox badge counts what waits, the longest-waiting first; the decision
 * screen shows the cost, the budget impact and the policy; one click approves. The requester's
 * order then shows stage 1 approved and stage 2 with the owner, and the expected date.
 */
async function managerApproves(j: Journey): Promise<void> {
  const placed = need(j.cart, 'the order placed from the cart');
  j.manager ??= await session(j, MANAGER);
  const { page } = j.manager;
  await openApprovals(page);
  const waiting = await inbox(page);
  const badge = Number(await textOf(page.getByTestId('approvals-badge')));
  check(
    badge === waiting.length && waiting.length >= 2,
    `the Approvals badge should count the ${waiting.length} approvals listed (at least this order's 2); it shows ${badge}`,
  );
  for (const l of [placed.vm, placed.gpu]) {
    check(
      waiting.some((a) => a.number === placed.number && a.title === l.what),
      `the manager's inbox should list ${placed.number} ${l.what}; it lists ${waiting.map((a) => `${a.number} ${a.title}`).join(', ')}`,
    );
  }
  // Longest-waiting first: the order the approvals arrived in, as the server dates them.
  const res = await page.request.get('/api/approvals?status=pending&limit=200');
  check(res.ok(), `GET /api/approvals answered ${res.status()}`);
  const arrived = new Map(
    ((await res.json()) as { items: { id: string; createdAt: string }[] }).items.map((a) => [
      a.id,
      a.createdAt,
    ]),
  );
  const shownTimes = waiting.map((a) => arrived.get(a.id) ?? '');
  check(
    shownTimes.every((t, i) => t !== '' && (i === 0 || t >= shownTimes[i - 1]!)),
    `the inbox should list the longest-waiting first; it lists ${waiting
      .map((a, i) => `${a.number} ${a.title} (${shownTimes[i]})`)
      .join(', ')}`,
  );
  await shot(page, '15a-inbox');

  // The decision screen for the GPU line.
  await approvalItem(page, placed.number, placed.gpu.what).getByRole('link', { name: GPU.name }).click();
  await page.waitForURL(/\/approvals\/[^/]+$/);
  const decisionUrl = page.url();
  await page.getByRole('heading', { level: 1, name: `Decide: ${GPU.name}` }).waitFor();
  const card = page.getByTestId('approval-item');
  await card.waitFor();
  const cardText = await textOf(card);
  for (const expected of [
    placed.number,
    'Rita Requester',
    `${COST_CENTRE.code} — ${COST_CENTRE.name}`,
    CART_JUSTIFICATION,
    '1 of 2 · Line manager',
    `Routed to you because: The requester’s line manager. Asked for by ${SPENDING.policy} › ${SPENDING.large}.`,
    `Policy ${SPENDING.policy}, rule ${SPENDING.large}`,
  ]) {
    check(
      cardText.includes(expected),
      `the decision screen should show "${expected}"; it says "${cardText}"`,
    );
  }
  const cost = await priceList(card.locator('.approval__grid dl.money-breakdown'));
  check(
    cost['First year'] === placed.gpu.firstYear && cost.Monthly === placed.gpu.monthly,
    `the decision screen should cost ${eur(placed.gpu.monthly)}/month, ${eur(placed.gpu.firstYear)} in the first year ` +
      `as the cart said; it shows ${eur(cost.Monthly!)} and ${eur(cost['First year']!)}`,
  );
  const gauge = card.getByRole('region', { name: 'Budget with this request' });
  await gauge.waitFor().catch(() => {
    throw new CheckFailed('the decision screen should show the budget impact of this request');
  });
  const month = await budgetPeriod(gauge, 'This month');
  check(
    month.request === placed.gpu.monthly,
    `the budget impact on the decision screen should count this line's ${eur(placed.gpu.monthly)} this month; it counts ${eur(month.request)}`,
  );
  check(
    month.after === placed.monthCommitted + placed.monthRequest &&
      month.after === month.committed + month.request,
    `with this request the month should stand at ${eur(placed.monthCommitted + placed.monthRequest)} as the cart said at checkout; ` +
      `the decision screen says ${eur(month.after)} (committed ${eur(month.committed)} + ${eur(month.request)})`,
  );
  const stages = await card
    .getByTestId('route-stage')
    .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-state')));
  check(
    stages.join(',') === 'pending,waiting',
    `the chain on the decision screen should be stage 1 waiting for this decision, stage 2 not yet; it is ${stages.join(', ')}`,
  );
  await card.getByText('You decide here').waitFor();
  await shot(page, '15b-decision');

  // The decision screen on a phone.
  const phone = (await session(j, MANAGER, PHONE)).page;
  await phone.goto(decisionUrl);
  await phone.getByRole('heading', { level: 1, name: `Decide: ${GPU.name}` }).waitFor();
  await phone.getByRole('region', { name: 'Budget with this request' }).waitFor();
  await shot(phone, '15c-decision-phone');
  const { scrollWidth, widest } = await sidewaysOverflow(phone);
  await phone.context().close();
  check(
    scrollWidth <= PHONE.width,
    `the decision screen scrolls sideways on a phone: scrollWidth ${scrollWidth} > ${PHONE.width}; widest: ${widest}`,
  );

  // One click.
  await card.getByRole('button', { name: 'Approve', exact: true }).click();
  await page.getByText(`Approved ${placed.number} (${GPU.name} for Rita Requester).`).waitFor();
  await page.locator('[data-testid="approval-item"][data-status="approved"]').waitFor();

  // The VM line, from the list: one click too.
  await page.getByRole('link', { name: 'Back to the approvals waiting for you' }).click();
  await page.waitForURL((url) => url.pathname === '/approvals');
  const vmItem = approvalItem(page, placed.number, placed.vm.what);
  await vmItem.getByRole('button', { name: 'Approve', exact: true }).click();
  await page.getByText(`Approved ${placed.number} (${VM.name} for Rita Requester).`).waitFor();
  await vmItem.waitFor({ state: 'detached' });
  check(
    (await approvalItem(page, placed.number, placed.gpu.what).count()) === 0,
    `after approving, ${placed.number} ${placed.gpu.what} should leave the manager's inbox`,
  );
  const after = page.getByTestId('approvals-badge');
  const left = (await after.count()) ? Number(await textOf(after)) : 0;
  check(left === badge - 2, `the badge should drop from ${badge} to ${badge - 2}; it shows ${left}`);
  await shot(page, '15d-manager-approved');

  // The requester: stage 1 approved, stage 2 with the owner; the VM line approved.
  const requester = need(j.requester, 'the requester session').page;
  await openOrder(requester, placed.url);
  const g = await lineApproval(requester, placed.gpu.what);
  check(
    g.stages.map((s) => s.state).join(',') === 'approved,pending',
    `after the manager, the GPU line should have stage 1 approved and stage 2 waiting; it shows ` +
      `${g.stages.map((s) => `"${s.text}" (${s.state})`).join(', ')}`,
  );
  check(
    g.stages[0]!.text.includes('Max Manager approved') && g.stages[1]!.text.includes('Olga Owner asked'),
    `stage 1 should say Max Manager approved and stage 2 that Olga Owner is asked; they say ` +
      `"${g.stages[0]!.text}" and "${g.stages[1]!.text}"`,
  );
  check(
    g.summary.includes('waiting for Olga Owner (stage 2 of 2)'),
    `the GPU line should now wait for Olga Owner, stage 2 of 2; it says "${g.summary}"`,
  );
  const v = await lineApproval(requester, placed.vm.what);
  check(
    v.stages.map((s) => s.state).join(',') === 'approved' && /approved \(one stage\)/.test(v.summary),
    `the VM line should be approved (one stage); it says "${v.summary}"`,
  );
  check(
    (await orderStatus(requester)) === 'pending_approval',
    `with the GPU line still waiting the order stays pending approval; it is "${await orderStatus(requester)}"`,
  );
  await requester.locator('[data-testid="timeline-event"][data-kind="stage_approved"]').waitFor();
  // The VM counts its lead time from today's approval; the GPU line one stage less than before.
  await checkExpected(
    requester,
    [
      { what: placed.vm.what, date: businessDaysFromToday(placed.vm.leadDays) },
      { what: placed.gpu.what, date: businessDaysFromToday(1 + placed.gpu.leadDays) },
    ],
    'after the manager approved',
  );
  await shot(requester, '15-manager-approved');
}

/**
 * 16. The cost-centre owner is told by the bell, which leads to the GPU line's decision screen at
 * stage 2; she approves it there, and the line goes on to fulfilment, with its expected date.
 */
async function ownerApproves(j: Journey): Promise<void> {
  const placed = need(j.cart, 'the order placed from the cart');
  j.owner ??= await session(j, OWNER);
  const { page } = j.owner;
  await page.goto('/');
  const { panel, unread } = await openBell(page);
  check(unread >= 1, `the owner's bell should show an unread notification, shows ${unread}`);
  const told = panel.getByTestId('notification').filter({ hasText: `Approval needed: ${placed.number}` });
  await told.waitFor().catch(() => {
    throw new CheckFailed(`the owner should be notified "Approval needed: ${placed.number}"`);
  });
  check(
    (await textOf(told)).includes(`${placed.gpu.what} — Cost-centre owner`),
    `the notification should say what and which stage; it says "${await textOf(told)}"`,
  );
  await shot(page, '16a-owner-bell');
  // The notification leads straight to the decision screen of this approval.
  await told.getByRole('link', { name: `Approval needed: ${placed.number}` }).click();
  await page.waitForURL((url) => /^\/approvals\/[0-9a-f-]{36}$/.test(url.pathname));
  await page.getByRole('heading', { level: 1, name: `Decide: ${GPU.name}` }).waitFor();
  const item = approvalItem(page, placed.number, placed.gpu.what);
  await item.waitFor();
  const text = await textOf(item);
  for (const expected of [
    '2 of 2 · Cost-centre owner',
    `Owns cost centre ${COST_CENTRE.code}, which pays.`,
    eur(placed.gpu.firstYear),
  ]) {
    check(text.includes(expected), `the owner's approval should show "${expected}"; it says "${text}"`);
  }
  await item.getByRole('button', { name: 'Approve', exact: true }).click();
  await page.getByText(`Approved ${placed.number} (${GPU.name} for Rita Requester).`).waitFor();
  await shot(page, '16b-owner-approved');
  // Back in the inbox it is gone, and the badge counts what is left.
  await page.getByRole('link', { name: 'Back to the approvals waiting for you' }).click();
  const waiting = await inbox(page);
  check(
    (await approvalItem(page, placed.number, placed.gpu.what).count()) === 0,
    `the owner's inbox should no longer list ${placed.number} ${placed.gpu.what}`,
  );
  const badge = waiting.length ? Number(await textOf(page.getByTestId('approvals-badge'))) : 0;
  check(badge === waiting.length, `the owner's badge should count ${waiting.length}, shows ${badge}`);

  // The requester: both stages approved, on to fulfilment, still with an expected date.
  const requester = need(j.requester, 'the requester session').page;
  await openOrder(requester, placed.url);
  const g = await lineApproval(requester, placed.gpu.what);
  check(
    g.stages.map((s) => s.state).join(',') === 'approved,approved' && /approved \(2 stages\)/.test(g.summary),
    `the GPU line should be approved in 2 stages; it says "${g.summary}", stages ${g.stages.map((s) => s.state).join(', ')}`,
  );
  check(
    g.stages[1]!.text.includes('Olga Owner approved'),
    `stage 2 should say Olga Owner approved; it says "${g.stages[1]!.text}"`,
  );
  const status = await orderStatus(requester);
  check(
    ['approved', 'in_fulfilment'].includes(status),
    `with every line approved the order should be approved or in fulfilment; it is "${status}"`,
  );
  const gpuStatus = await orderLine(requester, placed.gpu.what)
    .locator('.line-item__side [data-status]')
    .getAttribute('data-status');
  check(
    gpuStatus === 'approved' || gpuStatus === 'in_fulfilment',
    `the GPU line should be approved or in fulfilment; it is "${gpuStatus}"`,
  );
  check(
    (await requester.getByTestId('line-chain').count()) === 0,
    'with every line approved the timeline should show no chain still waiting',
  );
  const approvedEvents = requester.locator('[data-testid="timeline-event"][data-kind="approved"]');
  check(
    (await approvedEvents.count()) === 2,
    `the timeline should show an "Approved" event per line (2), shows ${await approvedEvents.count()}`,
  );
  await checkExpected(
    requester,
    [
      { what: placed.vm.what, date: businessDaysFromToday(placed.vm.leadDays) },
      { what: placed.gpu.what, date: businessDaysFromToday(placed.gpu.leadDays) },
    ],
    'after the owner approved',
  );
  await shot(requester, '16-owner-approved');
}

/**
 * 17. The manager rejects another order over the threshold, with a comment after confirming.
 * The line stops: rejected, the owner's stage never asked, no fulfilment task, and the
 * requester's timeline and bell say so.
 */
async function rejection(j: Journey): Promise<void> {
  const placed = need(j.cart, 'the order placed from the cart');
  const requester = need(j.requester, 'the requester session').page;
  const bigWhat = `${GPU.name} · ${BIG_GPU.planName}`;

  // The requester orders an A100 straight from its service page.
  const checkout = await openCheckout(requester, GPU, BIG_GPU.plan, BIG_GPU.planName);
  await checkout.getByLabel('Business justification').fill(BIG_JUSTIFICATION);
  await checkout.getByRole('checkbox', { name: 'I accept this SLA' }).check();
  await checkout.getByRole('button', { name: 'Submit request' }).click();
  await requester.waitForURL(/\/orders\/[^/]+$/);
  // The order's own breadcrumb, not the service page's still on screen while the order loads.
  const crumb = requester
    .getByRole('navigation', { name: 'Breadcrumb' })
    .locator('[aria-current="page"]')
    .filter({ hasText: /^ORD-\d+$/ });
  await crumb.waitFor();
  const number = await textOf(crumb);
  j.rejected = { url: requester.url(), number };
  const before = await lineApproval(requester, bigWhat);
  check(
    before.stages.map((s) => s.state).join(',') === 'pending,waiting',
    `the A100 order should wait for the manager, then the owner; it shows ${before.stages.map((s) => `"${s.text}" (${s.state})`).join(', ')}`,
  );

  // The manager rejects it, says why, and confirms.
  j.manager ??= await session(j, MANAGER);
  const manager = j.manager.page;
  await openApprovals(manager);
  await inbox(manager);
  const item = approvalItem(manager, number, bigWhat);
  await item.waitFor().catch(() => {
    throw new CheckFailed(`the manager's inbox should list ${number} ${bigWhat}`);
  });
  await item.getByRole('button', { name: 'Reject', exact: true }).click();
  const dialog = manager.getByRole('dialog', { name: `Reject ${GPU.name} for Rita Requester?` });
  await dialog.waitFor();
  check(
    (await textOf(dialog)).includes(`The request ${number} will not be fulfilled`),
    `the confirmation should say what rejecting means; it says "${await textOf(dialog)}"`,
  );
  await dialog.getByLabel('Why not?').fill(REJECT_COMMENT);
  await shot(manager, '17a-reject-confirm');
  await dialog.getByRole('button', { name: 'Yes, reject' }).click();
  await manager.getByText(`Rejected ${number} (${GPU.name} for Rita Requester).`).waitFor();
  await item.waitFor({ state: 'detached' });
  // Kept under Decided, with the reason.
  await manager
    .getByRole('navigation', { name: 'Approval lists' })
    .getByRole('link', { name: /^Decided/ })
    .click();
  const decided = manager
    .locator('[data-testid="approval-item"][data-status="rejected"]')
    .filter({ hasText: number });
  await decided.waitFor();
  check(
    (await textOf(decided)).includes(REJECT_COMMENT),
    `the decided rejection should keep the comment; it says "${await textOf(decided)}"`,
  );

  // The requester: rejected, the chain stopped at stage 1, the timeline says why; no date.
  await openOrder(requester, j.rejected.url);
  check(
    (await orderStatus(requester)) === 'rejected',
    `the rejected order's status should be rejected; it is "${await orderStatus(requester)}"`,
  );
  const after = await lineApproval(requester, bigWhat);
  check(
    after.stages.map((s) => s.state).join(',') === 'rejected,cancelled',
    `the chain should stop: stage 1 rejected, stage 2 never asked; it shows ${after.stages
      .map((s) => `"${s.text}" (${s.state})`)
      .join(', ')}`,
  );
  check(
    after.stages[0]!.text.includes('Max Manager rejected') && after.stages[0]!.text.includes(REJECT_COMMENT),
    `stage 1 should say Max Manager rejected it, and why; it says "${after.stages[0]!.text}"`,
  );
  check(
    !after.stages[1]!.text.includes('Olga Owner'),
    `nobody should have been asked at stage 2; it says "${after.stages[1]!.text}"`,
  );
  const rejected = requester.locator('[data-testid="timeline-event"][data-kind="rejected"]');
  await rejected.waitFor();
  const rejectedText = await textOf(rejected);
  check(
    rejectedText.includes(REJECT_COMMENT) && rejectedText.includes('Max Manager'),
    `the timeline's rejection should say who and why; it says "${rejectedText}"`,
  );
  check(
    (await requester.getByTestId('timeline-upcoming').count()) === 0,
    'a rejected order should show no steps still to come',
  );
  check(
    (await requester.getByText(/Expected (by|around)/).count()) === 0,
    'a rejected order should promise no delivery date',
  );
  await requester.goto('/');
  const { panel } = await openBell(requester);
  const told = panel.getByTestId('notification').filter({ hasText: `${number} rejected` });
  await told.waitFor().catch(() => {
    throw new CheckFailed(`the requester should be notified "${number} rejected"`);
  });
  check(
    (await textOf(told)).includes(REJECT_COMMENT),
    `the requester's notification should say why; it says "${await textOf(told)}"`,
  );
  await openOrder(requester, j.rejected.url);
  await lineApproval(requester, bigWhat);
  await shot(requester, '17b-rejected-order');

  // The owner is never asked.
  const owner = (j.owner ??= await session(j, OWNER)).page;
  await openApprovals(owner);
  const ownerWaiting = await inbox(owner);
  check(
    !ownerWaiting.some((a) => a.number === number),
    `the owner should never be asked about the rejected ${number}; her inbox lists ${ownerWaiting.map((a) => a.number).join(', ')}`,
  );
  const res = await owner.request.get('/api/notifications');
  const notes = res.ok() ? JSON.stringify(await res.json()) : '';
  check(res.ok(), `GET /api/notifications answered ${res.status()}`);
  check(
    !notes.includes(`Approval needed: ${number}`),
    `the owner should get no "Approval needed: ${number}" notification`,
  );

  // Fulfilment: the approved GPU line gets its task (by a background job), the rejected line none;
  // the approved VM line needs no one, the private cloud's broker creates it.
  j.fulfiller ??= await session(j, FULFILLER);
  const fulfiller = j.fulfiller.page;
  const deadline = Date.now() + TASK_POLL_MS;
  let tasks: { order: { number: string }; line: { service: { name: string } } }[] = [];
  for (;;) {
    const r = await fulfiller.request.get('/api/tasks?limit=100');
    check(r.ok(), `GET /api/tasks answered ${r.status()}`);
    tasks = ((await r.json()) as { items: typeof tasks }).items;
    if (tasks.some((t) => t.order.number === placed.number)) break;
    check(
      Date.now() < deadline,
      `the approved GPU line of ${placed.number} should get a fulfilment task within ${TASK_POLL_MS / 1000} s; the queue has ` +
        `${tasks.map((t) => `${t.order.number} ${t.line.service.name}`).join(', ') || 'nothing'}`,
    );
    await sleep(500);
  }
  const forCart = tasks.filter((t) => t.order.number === placed.number).map((t) => t.line.service.name);
  check(
    forCart.join(',') === 'GPU Virtual Machine',
    `of ${placed.number}, only the GPU line should have a task (the broker makes the VM); the queue has ${forCart.join(', ')}`,
  );
  await mainNav(fulfiller).getByRole('link', { name: 'Work queue' }).click();
  await fulfiller.waitForURL('**/tasks');
  await fulfiller.getByRole('list', { name: 'Open tasks' }).waitFor();
  const queued = fulfiller.getByTestId('task-item');
  await queued
    .filter({ hasText: placed.number })
    .filter({ hasText: placed.gpu.what })
    .waitFor()
    .catch(() => {
      throw new CheckFailed(`the work queue should show the task for ${placed.number} ${placed.gpu.what}`);
    });
  check(
    (await queued.filter({ hasText: number }).count()) === 0 && !tasks.some((t) => t.order.number === number),
    `the rejected ${number} should get no fulfilment task`,
  );
  await shot(fulfiller, '17-no-task-for-rejected');
}

export const approvalSteps: { name: string; run: (j: Journey) => Promise<void> }[] = [
  { name: 'cart', run: cart },
  { name: 'two-stage', run: twoStage },
  { name: 'manager-approves', run: managerApproves },
  { name: 'owner-approves', run: ownerApproves },
  { name: 'rejection', run: rejection },
];
