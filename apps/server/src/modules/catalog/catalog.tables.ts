import { index, integer, jsonb, numeric, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { teams } from '../identity/identity.tables.ts';

export const categories = pgTable('categories', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  icon: text('icon').notNull().default('📦'),
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
    status: text('status', { enum: ['draft', 'published', 'retired'] })
      .notNull()
      .default('draft'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('services_category_idx').on(t.categoryId, t.status)],
);

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
    features: jsonb('features').$type<string[]>().notNull().default([]),
    currency: text('currency').notNull().default('EUR'),
    oneTimePrice: numeric('one_time_price', { precision: 20, scale: 9 }).notNull().default('0'),
    monthlyPrice: numeric('monthly_price', { precision: 20, scale: 9 }).notNull().default('0'),
    leadTimeDays: integer('lead_time_days').notNull(),
    slaName: text('sla_name').notNull(),
    availability: text('availability').notNull(),
    supportHours: text('support_hours').notNull(),
    responseHours: integer('response_hours').notNull(),
    resolutionHours: integer('resolution_hours').notNull(),
  },
  (t) => [unique('plans_service_slug_uq').on(t.serviceId, t.slug)],
);
