// Steps 18–23 of the browser journey: fulfilment tracked like a parcel, and subscriptions people
// own. A laptop goes through the workplace team's two manual steps; a VM whose broker fails twice
// is still delivered once; a VM is decommissioned and is gone at the broker; My services and the
// tracker fit a phone. The runner is journey.e2e.ts; the helpers are in support.ts.
import type { Locator, Page } from 'playwright-core';
import { openApprovals, openCheckout, openOrder } from './approvals.steps.ts';
import {
  CheckFailed,
  FULFILLER,
  MANAGER,
  PHONE,
  REQUESTER,
  TASK_POLL_MS,
  brokerRequest,
  check,
  mainNav,
  need,
  openConnectionDetails,
  session,
  shot,
  sidewaysOverflow,
  sleep,
  stagesOf,
  textOf,
  watchDelivery,
  type Journey,
} from './support.ts';

const RUN_ID = Math.random().toString(36).slice(2, 6);
const LAPTOP = { slug: 'laptop', name: 'Laptop', plan: 'standard', planName: 'Standard 14"' };
const LAPTOP_LINE = `${LAPTOP.name} · ${LAPTOP.planName}`;
const WORKPLACE = 'Workplace Services';
const ASSET_TAG = `IT-${String(Date.now()).slice(-6)}`;
const SERIAL = `PF-E2E-${RUN_ID.toUpperCase()}`;
const HANDOVER_NOTE = 'Handed over at the Service Desk; first sign-in done together.';
const HANDOVER_CHECKLIST = [
  'The requester signed in for the first time',
  'Old laptop collected, or none to collect',
];
const VM = { slug: 'virtual-machine', name: 'Virtual Machine', plan: 'small', planName: 'Small' };
const FLAKY_HOSTNAME = `vm-flaky-${RUN_ID}`;
const DECOMMISSION_REASON = 'The load test is over (browser journey test).';
/** Decommissioning: unbind, delete (3–6 s at the journey's broker speed), polled every 5 s. */
const ENDED_TIMEOUT_MS = 45_000;

interface Placed {
  url: string;
  number: string;
}

/** The requester orders from a service page's checkout and lands on the new order. */
async function placeOrder(
  page: Page,
  service: { slug: string; name: string; plan: string; planName: string },
  fill: (checkout: Locator) => Promise<void>,
  justification: string,
): Promise<Placed> {
  const checkout = await openCheckout(page, service, service.plan, service.planName);
  await fill(checkout);
  await checkout.getByLabel('Business justification').fill(justification);
  await checkout.getByRole('checkbox', { name: 'I accept this SLA' }).check();
  await checkout.getByRole('button', { name: 'Submit request' }).click();
  await page.waitForURL(/\/orders\/[^/]+$/);
  await page.locator('.page-header [data-status]').waitFor();
  const number = await textOf(
    page.getByRole('navigation', { name: 'Breadcrumb' }).locator('[aria-current="page"]'),
  );
  check(/^ORD-\d+$/.test(number), `the new order page should name its order, shows "${number}"`);
  return { url: page.url(), number };
}

/** The manager approves one order's line from the Approvals inbox. */
async function managerApproves(j: Journey, number: string): Promise<void> {
  const page = (j.manager ??= await session(j, MANAGER)).page;
  await openApprovals(page);
  const item = page.getByTestId('approval-item').filter({ hasText: number });
  await item.waitFor().catch(() => {
    throw new CheckFailed(`the manager's Approvals inbox should list ${number}`);
  });
  await item.getByRole('button', { name: 'Approve', exact: true }).click();
  await page.getByText(`Approved ${number}`).waitFor();
}

/** The fulfiller's work queue, reloaded until the task named `title` for the order shows, then opened. */
async function openTask(page: Page, number: string, title: string): Promise<void> {
  await mainNav(page).getByRole('link', { name: 'Work queue' }).click();
  await page.waitForURL('**/tasks*');
  const task = page.getByTestId('task-item').filter({ hasText: number }).filter({ hasText: title });
  const settled = page
    .getByRole('list', { name: 'Open tasks' })
    .or(page.getByRole('heading', { name: 'The queue is empty' }));
  // Each manual step's task is opened by a background job once the step before is done.
  const deadline = Date.now() + TASK_POLL_MS;
  for (;;) {
    await page.getByRole('heading', { level: 1, name: 'Work queue' }).waitFor();
    await settled.first().waitFor();
    if ((await task.count()) > 0) break;
    check(
      Date.now() < deadline,
      `no task "${title}" for ${number} in the work queue after ${TASK_POLL_MS / 1000} s`,
    );
    await sleep(1_000);
    await page.reload();
  }
  await task.click();
  await page.waitForURL(/[?&]task=/);
  await page.getByRole('heading', { level: 2, name: title }).waitFor();
}

/** Takes the open task ("Take it"), fills what it asks, and completes it. */
async function takeAndComplete(
  page: Page,
  number: string,
  title: string,
  outputs: Record<string, string>,
  note?: string,
): Promise<void> {
  await page.getByRole('button', { name: 'Take it', exact: true }).click();
  await page.getByText('You have this task').waitFor();
  for (const [label, value] of Object.entries(outputs))
    await page.getByRole('textbox', { name: label }).fill(value);
  if (note) await page.getByLabel('Note').fill(note);
  await page.getByRole('button', { name: 'Complete task' }).click();
  await page
    .getByText(`Completed “${title}” for Rita Requester (${number}`)
    .waitFor()
    .catch(() => {
      throw new CheckFailed(`completing "${title}" for ${number} brought no confirmation`);
    });
}

/** One subscription of the requester's, found by name through the API (the page shows the same). */
async function subscriptionNamed(
  page: Page,
  name: string,
): Promise<{ id: string; status: string; outputs: Record<string, string> }> {
  const res = await page.request.get(`/api/subscriptions?status=all&q=${encodeURIComponent(name)}`);
  check(res.ok(), `GET /api/subscriptions answered ${res.status()}`);
  const named = ((await res.json()) as { items: { id: string; name: string }[] }).items.filter(
    (s) => s.name === name,
  );
  check(
    named.length === 1,
    `the requester should own exactly one subscription named ${name}, owns ${named.length}`,
  );
  const detail = await page.request.get(`/api/subscriptions/${named[0]!.id}`);
  check(detail.ok(), `GET /api/subscriptions/${named[0]!.id} answered ${detail.status()}`);
  return (await detail.json()) as { id: string; status: string; outputs: Record<string, string> };
}

interface BrokerInstance {
  id: string;
  status: string;
  context: Record<string, unknown>;
  parameters: Record<string, unknown>;
}

/** What the private cloud's broker holds for an order (deleted instances too). */
async function brokerInstancesOf(j: Journey, number: string): Promise<BrokerInstance[]> {
  const res = await brokerRequest(j, 'GET', '/admin/instances');
  check(res.status === 200, `the broker's GET /admin/instances answered ${res.status}`);
  return (res.json.instances as BrokerInstance[]).filter((i) => i.context.order_number === number);
}

// ---------------------------------------------------------------------------------------------
// The steps

/** 18. The requester orders a laptop with a German keyboard; the manager approves it. */
async function laptopOrder(j: Journey): Promise<void> {
  const { page } = need(j.requester, 'the requester session');
  const placed = await placeOrder(
    page,
    LAPTOP,
    async (checkout) => {
      await checkout.getByLabel('Keyboard layout').selectOption('de');
    },
    'My old laptop is out of warranty (browser journey test).',
  );
  j.laptop = placed;
  await shot(page, '18a-laptop-ordered');

  await managerApproves(j, placed.number);
  await openOrder(page, placed.url);
  // Approved: the first step waits with the workplace team, who has it now.
  const tracker = page.getByTestId('order-line').filter({ hasText: LAPTOP.name }).getByTestId('line-tracker');
  await tracker.waitFor();
  const now = tracker.locator('.tracker__now');
  // The page refreshes itself every 5 s while the order moves; the step starts by a background job.
  const deadline = Date.now() + TASK_POLL_MS;
  while (!(
    (await now.count()) > 0 && (await textOf(now)).startsWith(`Now: Prepare laptop, with ${WORKPLACE}`)
  )) {
    check(
      Date.now() < deadline,
      `after approval the tracker should say "Now: Prepare laptop, with ${WORKPLACE}"; it says "${await textOf(tracker)}"`,
    );
    await sleep(250);
  }
  const stages = await stagesOf(tracker);
  check(
    stages.provisioning === 'current' && stages.configuring === 'next',
    `with "Prepare laptop" under way, provisioning should be now and configuring next; they are ${stages.provisioning}, ${stages.configuring}`,
  );
  await shot(page, '18-laptop-with-workplace');
}

/** 19. The fulfiller takes and completes "Prepare laptop" (asset tag, serial), then "Hand over laptop". */
async function laptopFulfil(j: Journey): Promise<void> {
  const { number } = need(j.laptop, 'the laptop order');
  const page = (j.fulfiller ??= await session(j, FULFILLER)).page;

  const prepare = `Prepare laptop: ${LAPTOP_LINE}`;
  await openTask(page, number, prepare);
  const panel = page.locator('article.task-panel');
  check(
    (await textOf(panel)).includes('German'),
    `the task should say which keyboard layout was ordered (German); it says "${await textOf(panel)}"`,
  );
  await shot(page, '19a-prepare-laptop');
  await takeAndComplete(page, number, prepare, { 'Asset tag': ASSET_TAG, 'Serial number': SERIAL });

  const handOver = `Hand over laptop: ${LAPTOP_LINE}`;
  await openTask(page, number, handOver);
  const items = (await panel.locator('.task-panel__checklist li').allInnerTexts()).map((t) => t.trim());
  check(
    items.join('|') === HANDOVER_CHECKLIST.join('|'),
    `the hand-over task should list its checklist (${HANDOVER_CHECKLIST.join('; ')}); it lists ${items.join('; ') || 'nothing'}`,
  );
  check(
    (await textOf(panel)).includes(ASSET_TAG),
    `the hand-over task should show the asset tag the step before delivered (${ASSET_TAG})`,
  );
  await shot(page, '19b-hand-over-laptop');
  await takeAndComplete(page, number, handOver, {}, HANDOVER_NOTE);
  await shot(page, '19-laptop-done');
}

/** 20. The requester's tracker shows both manual steps done; the laptop is under My services with its asset tag. */
async function laptopOwn(j: Journey): Promise<void> {
  const { page } = need(j.requester, 'the requester session');
  const { url, number } = need(j.laptop, 'the laptop order');
  await openOrder(page, url);
  await page
    .locator('.page-header [data-status="delivered"]')
    .waitFor({ timeout: TASK_POLL_MS })
    .catch(() => {
      throw new CheckFailed(`${number} should be delivered once both steps are done`);
    });
  const line = page.getByTestId('order-line').filter({ hasText: LAPTOP.name });
  const steps = line.getByRole('list', { name: 'Delivery steps' }).locator('> li');
  const shown = (await steps.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  const states = await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
  check(
    states.join(',') === 'done,done' &&
      shown[0]?.includes(`Prepare laptop · ${WORKPLACE}`) &&
      shown[1]?.includes(`Hand over laptop · ${WORKPLACE}`),
    `the line should show "Prepare laptop" and "Hand over laptop" by ${WORKPLACE}, both done; it shows ${shown.join(' | ')} (${states.join(', ')})`,
  );
  check(
    shown[1]!.includes(HANDOVER_NOTE),
    `the fulfiller's note should be on the hand-over step; it says "${shown[1]}"`,
  );
  const stages = await stagesOf(line.getByTestId('line-tracker'));
  check(
    Object.values(stages).join(',') === 'done,done,done,done,done',
    `every stage of the laptop should be done, provisioning and configuring too; they read ${Object.values(stages).join(', ')}`,
  );
  await shot(page, '20a-laptop-delivered');

  await mainNav(page).getByRole('link', { name: 'My services' }).click();
  await page.waitForURL('**/services');
  const card = page.getByTestId('subscription-card').filter({ hasText: LAPTOP_LINE });
  await card.waitFor();
  check(
    (await textOf(card)).includes('Active'),
    `the laptop's card should say Active; it says "${await textOf(card)}"`,
  );
  await card.getByRole('link').first().click();
  await page.waitForURL(/\/services\/[^/]+$/);
  const { outputs } = await openConnectionDetails(page);
  check(
    outputs['Asset tag'] === ASSET_TAG && outputs.Serial === SERIAL,
    `the laptop's page should show asset tag ${ASSET_TAG} and serial ${SERIAL}; it shows ${JSON.stringify(outputs)}`,
  );
  await shot(page, '20-laptop-owned');
}

/**
 * 21. The broker fails the first two requests for a VM order (500s, armed through the simulated
 * broker's test control); the tracker says it tries again, and it is delivered once: one
 * subscription, one instance at the broker.
 */
async function flakyBroker(j: Journey): Promise<void> {
  const { page } = need(j.requester, 'the requester session');
  const placed = await placeOrder(
    page,
    VM,
    async (checkout) => {
      await checkout.getByLabel('Hostname').fill(FLAKY_HOSTNAME);
    },
    'A load-test agent (browser journey test).',
  );
  const armed = await brokerRequest(j, 'PUT', '/admin/faults', {
    http500Next: { count: 2, matching: placed.number },
  });
  check(
    armed.status === 200,
    `the broker's PUT /admin/faults answered ${armed.status}: ${JSON.stringify(armed.json)}`,
  );

  await managerApproves(j, placed.number);
  await openOrder(page, placed.url);
  const seen = await watchDelivery(page, VM.name, '21a-flaky-provisioning');
  const notes = seen.at(-1)!.notes;
  for (const attempt of [1, 2]) {
    check(
      notes.some((n) => n.includes(`Create the VM: try ${attempt} with Private cloud failed; trying again`)),
      `the timeline should say try ${attempt} with the Private cloud failed and it was tried again; its updates are ` +
        `${notes.map((n) => `"${n}"`).join(', ') || 'none'}`,
    );
  }
  check(
    notes.filter((n) => n.includes('trying again')).length === 2,
    `the broker failed exactly twice, so the timeline should say so twice; it says ${notes.join(' | ')}`,
  );
  const retrying = seen.filter((s) => /trying again/.test(s.progress)).map((s) => s.progress);
  console.log(
    `    tracker: ${[...new Set(seen.map((s) => s.summary))].join(' → ')}` +
      (retrying.length
        ? ''
        : ' (the retries were too quick to catch as they happened; the timeline has them)'),
  );
  check(
    (await page.locator('[data-testid="timeline-event"][data-kind="delivered"]').count()) === 1,
    `${placed.number} should be delivered once`,
  );
  await shot(page, '21b-flaky-delivered');

  // Once: one subscription, and at the broker one instance for the order, the one it names.
  const sub = await subscriptionNamed(page, FLAKY_HOSTNAME);
  const instanceId = sub.outputs.osbInstanceId;
  check(
    instanceId,
    `the subscription should name its broker instance (osbInstanceId); its outputs are ${JSON.stringify(sub.outputs)}`,
  );
  const instances = await brokerInstancesOf(j, placed.number);
  check(
    instances.length === 1 && instances[0]!.id === instanceId && instances[0]!.status === 'provisioned',
    `the broker should hold exactly one instance for ${placed.number}, ${instanceId}, provisioned; it holds ` +
      `${instances.map((i) => `${i.id} (${i.status})`).join(', ') || 'none'}`,
  );
  const fetched = await brokerRequest(j, 'GET', `/v2/service_instances/${instanceId}`);
  check(
    fetched.status === 200 && (fetched.json.parameters as { hostname?: string }).hostname === FLAKY_HOSTNAME,
    `GET /v2/service_instances/${instanceId} at the broker should answer 200 for ${FLAKY_HOSTNAME}; it answered ${fetched.status}`,
  );
  j.flaky = { ...placed, hostname: FLAKY_HOSTNAME, instanceId, subscriptionId: sub.id };
  const disarmed = await brokerRequest(j, 'PUT', '/admin/faults', {});
  check(disarmed.status === 200, `the broker's PUT /admin/faults {} answered ${disarmed.status}`);
}

/** 22. The requester decommissions the VM (type its name to confirm); ending, then ended; gone at the broker. */
async function decommission(j: Journey): Promise<void> {
  const { page } = need(j.requester, 'the requester session');
  const flaky = need(j.flaky, 'the VM delivered despite the flaky broker');
  await page.goto(`/services/${flaky.subscriptionId}`);
  await page.getByRole('heading', { level: 1, name: flaky.hostname }).waitFor();
  const status = page.locator('.page-header').getByTestId('subscription-status');
  check(
    (await status.getAttribute('data-status')) === 'active',
    `the VM should be active before it is decommissioned; it is ${await status.getAttribute('data-status')}`,
  );

  await page
    .getByRole('group', { name: 'What you can do' })
    .getByRole('button', { name: 'Decommission…' })
    .click();
  const dialog = page.getByRole('dialog', { name: `Decommission ${flaky.hostname}?` });
  await dialog.waitFor();
  const confirm = dialog.getByRole('button', { name: 'Decommission', exact: true });
  check(await confirm.isDisabled(), 'the dialog should not decommission before the name is typed');
  await dialog.getByLabel(`Type ${flaky.hostname} to confirm`).fill(flaky.hostname.slice(0, -1));
  check(await confirm.isDisabled(), 'the dialog should not decommission with the name typed wrong');
  await dialog.getByLabel(`Type ${flaky.hostname} to confirm`).fill(flaky.hostname);
  await dialog.getByLabel('Reason').fill(DECOMMISSION_REASON);
  await shot(page, '22a-decommission-dialog');
  await confirm.click();
  await dialog.waitFor({ state: 'hidden' });

  await page.locator('.page-header [data-testid="subscription-status"][data-status="ending"]').waitFor();
  await page.getByRole('status').filter({ hasText: 'Being decommissioned' }).waitFor();
  await shot(page, '22b-ending');
  // The page refreshes itself while it is ending; the broker deletes the VM, then it is ended.
  await page
    .locator('.page-header [data-testid="subscription-status"][data-status="ended"]')
    .waitFor({ timeout: ENDED_TIMEOUT_MS })
    .catch(async () => {
      throw new CheckFailed(
        `the subscription should end within ${ENDED_TIMEOUT_MS / 1000} s of the decommission; it is still ` +
          `${await status.getAttribute('data-status')}`,
      );
    });
  check(
    (await page.getByRole('group', { name: 'What you can do' }).count()) === 0,
    'an ended subscription should offer nothing more to do',
  );
  await shot(page, '22-ended');

  // Gone at the broker: the OSB fetch says so, and the broker keeps only a tombstone.
  const fetched = await brokerRequest(j, 'GET', `/v2/service_instances/${flaky.instanceId}`);
  check(
    fetched.status === 404 || fetched.status === 410,
    `GET /v2/service_instances/${flaky.instanceId} at the broker should answer 404 or 410 once decommissioned; it answered ${fetched.status}`,
  );
  const instances = await brokerInstancesOf(j, flaky.number);
  check(
    instances.length === 1 && instances[0]!.status === 'deleted',
    `the broker's one instance for ${flaky.number} should be deleted; it holds ${instances.map((i) => `${i.id} (${i.status})`).join(', ')}`,
  );
}

/** 23. My services and the order tracker fit a phone: no sideways scrolling at 390 px. */
async function phoneServices(j: Journey): Promise<void> {
  const laptop = need(j.laptop, 'the laptop order');
  const { page } = await session(j, REQUESTER, PHONE);
  await page.goto('/services');
  await page.getByRole('heading', { level: 1, name: 'My services' }).waitFor();
  await page.getByTestId('subscription-card').first().waitFor();
  let { scrollWidth, widest } = await sidewaysOverflow(page);
  check(
    scrollWidth <= PHONE.width,
    `My services scrolls sideways on a phone: scrollWidth ${scrollWidth} > ${PHONE.width}; widest: ${widest}`,
  );
  await shot(page, '23a-phone-my-services');

  await openOrder(page, laptop.url);
  const tracker = page.getByTestId('line-tracker').first();
  await tracker.getByRole('list', { name: 'Delivery stages' }).waitFor();
  ({ scrollWidth, widest } = await sidewaysOverflow(page));
  check(
    scrollWidth <= PHONE.width,
    `the order tracker scrolls sideways on a phone: scrollWidth ${scrollWidth} > ${PHONE.width}; widest: ${widest}`,
  );
  const box = await tracker.boundingBox();
  check(
    box && box.x >= 0 && box.x + box.width <= PHONE.width,
    'the tracker should lie within the phone screen',
  );
  await shot(page, '23-phone-tracker');
}

export const fulfilmentSteps: { name: string; run: (j: Journey) => Promise<void> }[] = [
  { name: 'laptop-order', run: laptopOrder },
  { name: 'laptop-fulfil', run: laptopFulfil },
  { name: 'laptop-own', run: laptopOwn },
  { name: 'flaky-broker', run: flakyBroker },
  { name: 'decommission', run: decommission },
  { name: 'phone-services', run: phoneServices },
];
