// CloudEvents 1.0 over HTTP: the three content modes of the HTTP protocol binding, and the
// spec's required and optional context attributes, validated event by event.
//
// Not the official `cloudevents` SDK: its batch parser builds every event with validation on and
// throws at the first bad one (we must store the valid ones and report each bad one by index),
// while its structured and binary parsers do not validate at all; its errors are Ajv's, not a
// field and a reason. What it would save us is reading ce-* headers and two content types.
import { z } from 'zod';

export const STRUCTURED = 'application/cloudevents+json';
export const BATCH = 'application/cloudevents-batch+json';
/** Per request, in batch mode. */
export const MAX_BATCH = 10_000;

export type Mode = 'structured' | 'batch' | 'binary';

/** Attributes we read from a binary-mode request's ce-* headers. Extensions are ignored. */
const HEADER_ATTRIBUTES = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'dataschema'] as const;

/** A URI-reference (RFC 3986): anything that resolves against a base, without spaces. */
const UriReference = z
  .string()
  .min(1)
  .max(1000)
  .refine((s) => {
    if (/\s/.test(s)) return false;
    try {
      new URL(s, 'http://base.invalid/');
      return true;
    } catch {
      return false;
    }
  }, 'must be a URI-reference (e.g. /brokers/cloud or https://cloud.example.com)');

export const CloudEvent = z.looseObject({
  specversion: z.literal('1.0', { error: (i) => (i.input === undefined ? 'is required' : 'must be "1.0"') }),
  id: z.string().min(1).max(500),
  source: UriReference,
  type: z.string().min(1).max(500),
  subject: z.string().min(1).max(500).optional(),
  time: z.iso
    .datetime({ offset: true, error: 'must be an RFC 3339 timestamp, e.g. 2026-05-01T12:00:00Z' })
    .optional(),
  datacontenttype: z.string().max(200).optional(),
  dataschema: UriReference.optional(),
  data: z.unknown().optional(),
  data_base64: z.string().optional(),
});
export type CloudEvent = z.infer<typeof CloudEvent>;

/** The events of one request, in the order sent, not yet validated. */
export interface Received {
  mode: Mode;
  events: unknown[];
}

const mediaType = (contentType: string | undefined) => contentType?.split(';')[0]?.trim().toLowerCase() ?? '';

/** Which content mode a request uses: its media type decides; ce-* headers without it mean binary. */
export function modeOf(headers: Record<string, string | string[] | undefined>): Mode | null {
  const type = mediaType(headers['content-type'] as string | undefined);
  if (type === BATCH) return 'batch';
  if (type === STRUCTURED) return 'structured';
  if (headers['ce-specversion'] !== undefined || headers['ce-id'] !== undefined) return 'binary';
  return null;
}

/** Header values are percent-encoded where they need to be (the HTTP binding, 3.1.3.2). */
function headerValue(raw: string | string[] | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A binary-mode request as the event it carries: attributes from ce-* headers, the body as data. */
export function fromBinary(headers: Record<string, string | string[] | undefined>, body: unknown): unknown {
  const event: Record<string, unknown> = {};
  for (const attribute of HEADER_ATTRIBUTES) {
    const value = headerValue(headers[`ce-${attribute}`]);
    if (value !== undefined) event[attribute] = value;
  }
  const contentType = headers['content-type'] as string | undefined;
  if (contentType) event.datacontenttype = contentType;
  if (body !== undefined && body !== null && !(Buffer.isBuffer(body) && body.length === 0)) {
    event.data = Buffer.isBuffer(body)
      ? mediaType(contentType).startsWith('text/')
        ? body.toString('utf8')
        : body.toString('base64')
      : body;
  }
  return event;
}

/** Where a field of an event is in the request, for the error: binary mode's attributes are headers. */
export function fieldName(mode: Mode, path: string): string {
  if (mode !== 'binary' || path.startsWith('data')) return path;
  return path === 'datacontenttype' ? 'content-type' : `ce-${path}`;
}
