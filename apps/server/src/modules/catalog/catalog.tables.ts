import {
  boolean,
  index,
  integer,
  json,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import type { OptionsSchema, ServiceDocument } from '@portico/shared';
import { teams, users } from '../identity/identity.tables.ts';

export const categories = pgTable('categories', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  icon: text('icon').notNull().default('📦'),
  parentId: uuid('parent_id').references((): AnyPgColumn => categories.id),
  position: integer('position').notNull().default(0),
});

export const services = pgTable(
  'services',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    tagline: text('tagline').notNull().default(''),
    description: text('description').notNull().default(''),
    kind: text('kind', { enum: ['cloud', 'legacy', 'saas', 'hardware', 'people'] }).notNull(),
    icon: text('icon').notNull().default('📦'),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => categories.id),
    ownerTeamId: uuid('owner_team_id')
      .notNull()
      .references(() => teams.id),
    tags: text('tags').array().notNull().default([]),
    featured: boolean('featured').notNull().default(false),
    /** The request form (a JSON Schema subset), or null when the service asks nothing. json,
     * not jsonb: the form keeps the order its author gave its fields. */
    options: json('options').$type<OptionsSchema | null>(),
    status: text('status', { enum: ['draft', 'published', 'retired'] })
      .notNull()
      .default('draft'),
    /** The published version people order; each edit of a published service adds one. */
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    firstPublishedAt: timestamp('first_published_at', { withTimezone: true }),
  },
  (t) => [index('services_category_idx').on(t.categoryId, t.status)],
);

export const serviceAlternatives = pgTable(
  'service_alternatives',
  {
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id),
    alternativeId: uuid('alternative_id')
      .notNull()
      .references(() => services.id),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.alternativeId] })],
);

/** Every published version of a service, as the document it was: what an order bought. */
export const serviceVersions = pgTable(
  'service_versions',
  {
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id),
    version: integer('version').notNull(),
    document: jsonb('document').$type<ServiceDocument>().notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
    publishedById: uuid('published_by_id').references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.version] })],
);

export interface MeteredPriceRow {
  unit: string;
  price: string;
  description: string;
}

export const plans = pgTable(
  'plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    position: integer('position').notNull().default(0),
    /** A plan taken out of the service stays for the orders that bought it, but is not offered. */
    active: boolean('active').notNull().default(true),
    features: jsonb('features').$type<string[]>().notNull().default([]),
    currency: text('currency').notNull().default('EUR'),
    oneTimePrice: numeric('one_time_price', { precision: 20, scale: 9 }).notNull().default('0'),
    monthlyPrice: numeric('monthly_price', { precision: 20, scale: 9 }).notNull().default('0'),
    meteredPrices: json('metered_prices').$type<MeteredPriceRow[]>().notNull().default([]),
    leadTimeDays: integer('lead_time_days').notNull(),
    slaName: text('sla_name').notNull(),
    availability: text('availability').notNull(),
    supportHours: text('support_hours').notNull(),
    responseHours: integer('response_hours').notNull(),
    resolutionHours: integer('resolution_hours').notNull(),
    quotaPerPerson: integer('quota_per_person'),
    quotaPerCostCentre: integer('quota_per_cost_centre'),
    /** A lease: subscriptions of this plan end this many days after delivery unless extended. */
    leaseDays: integer('lease_days'),
    /** After the lease ends, the subscription keeps working this many days before decommission. */
    leaseGraceDays: integer('lease_grace_days'),
  },
  (t) => [unique('plans_service_slug_uq').on(t.serviceId, t.slug)],
);
