// What adapter tests share: driving a step as the engine does, and narrowing its result.
import type { Adapter, StepCall, StepResult } from './adapter.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the engine does: call, and while the answer is `working`, wait and call again with its state. */
export async function drive(
  adapter: Adapter,
  call: StepCall,
  kind: 'start' | 'undo' = 'start',
): Promise<{ result: StepResult; progress: string[]; calls: number }> {
  const progress: string[] = [];
  let current = call;
  let result = await (kind === 'start' ? adapter.start(current) : adapter.undo(current));
  let calls = 1;
  while (result.status === 'working') {
    if (result.progress) progress.push(result.progress);
    if (calls > 500) throw new Error(`still working after ${calls} calls: ${JSON.stringify(result)}`);
    await sleep(Math.min(result.pollAfterMs ?? 5, 20));
    current = { ...current, state: result.state };
    result = await (kind === 'start' ? adapter.poll(current) : adapter.undo(current));
    calls += 1;
  }
  return { result, progress, calls };
}

export function expectDone(result: StepResult): Extract<StepResult, { status: 'done' }> {
  if (result.status !== 'done') throw new Error(`expected done, got ${JSON.stringify(result)}`);
  return result;
}

export function expectFailed(result: StepResult): Extract<StepResult, { status: 'failed' }> {
  if (result.status !== 'failed') throw new Error(`expected failed, got ${JSON.stringify(result)}`);
  return result;
}

export function expectWorking(result: StepResult): Extract<StepResult, { status: 'working' }> {
  if (result.status !== 'working') throw new Error(`expected working, got ${JSON.stringify(result)}`);
  return result;
}
