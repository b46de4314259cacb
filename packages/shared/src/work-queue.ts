// The fulfillers' side of the queue: taking and handing over tasks, and the steps that need a
// team's attention (retry, or abandon the line and undo what was done for it).
import { z } from 'zod';
import { TeamRef } from './catalog.ts';
import { PersonRef } from './common.ts';

/** A team the caller works in, with the colleagues a task can be handed to. */
export const WorkTeam = TeamRef.extend({ members: z.array(PersonRef) });
export type WorkTeam = z.infer<typeof WorkTeam>;

/**
 * Hands a task to a colleague of its team (or back to the team, with null). `from` is the
 * assignee the caller saw: if someone changed it meanwhile, the request is refused (409), so
 * nobody's claim is silently overwritten.
 */
export const AssignTaskBody = z.object({
  assignee: z.uuid().nullable(),
  from: z.uuid().nullable(),
});
export type AssignTaskBody = z.input<typeof AssignTaskBody>;

export const AttentionQuery = z.object({
  team: z.string().min(1).max(100).optional(),
  q: z.string().trim().max(100).optional(),
});

/** A step that failed for good, in its team's "needs attention" queue. */
export const AttentionItem = z.object({
  step: z.object({
    id: z.uuid(),
    name: z.string(),
    type: z.enum(['manual', 'osb', 'webhook']),
    position: z.number().int(),
    error: z.string(),
    /** Failed calls in a row before it gave up. */
    attempts: z.number().int(),
    failedAt: z.iso.datetime().nullable(),
    /** Set when it failed while being undone (the line abandoned, or its subscription ending): retry tries the undo again. */
    undoing: z.enum(['abandon', 'decommission']).nullable(),
    /** Who runs it: the team, or the system its adapter reaches. */
    by: z.string(),
  }),
  team: TeamRef,
  order: z.object({ id: z.uuid(), number: z.string(), requester: PersonRef }),
  line: z.object({
    id: z.uuid(),
    service: z.object({ slug: z.string(), name: z.string() }),
    plan: z.object({ slug: z.string(), name: z.string() }),
    quantity: z.number().int(),
  }),
  /** Whether the line can be abandoned (not while it is already being undone). */
  abandonable: z.boolean(),
  /** What abandoning undoes, last first ("Create the VM: deprovisioned through Private cloud"). */
  undoes: z.array(z.string()),
});
export type AttentionItem = z.infer<typeof AttentionItem>;

export const AbandonLineBody = z.object({
  reason: z.string().trim().min(1, 'is required: say why the line cannot be delivered').max(2000),
});
export type AbandonLineBody = z.input<typeof AbandonLineBody>;
