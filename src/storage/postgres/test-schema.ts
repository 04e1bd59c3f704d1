import pg from 'pg';

/**
 * Creates a throw-away schema so that test files sharing one PostgreSQL database do not see each
 * other, and returns a URL whose connections use it. `drop()` removes it.
 */
export async function createTestSchema(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `sw_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}
