import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { positional } from './db.ts';

describe('positional', () => {
  const dialect = new PgDialect();

  it('binds $n placeholders, repeats included, arrays and missing values as single parameters', () => {
    const query = dialect.sqlToQuery(
      positional('select $1, $2::uuid[], $1 where x = $3', ['a', ['u1', 'u2']]),
    );
    expect(query.sql).toBe('select $1, $2::uuid[], $3 where x = $4');
    expect(query.params).toEqual(['a', ['u1', 'u2'], 'a', null]);
  });

  it('leaves text without placeholders alone', () => {
    expect(dialect.sqlToQuery(positional('select 1')).sql).toBe('select 1');
    expect(dialect.sqlToQuery(sql`select ${1}`).params).toEqual([1]);
  });
});
