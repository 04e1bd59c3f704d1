import { afterAll } from 'vitest';
import { testServiceUrls } from '../../config/test-services.js';
import { storageContract } from '../storage.contract.js';
import { openPostgres } from './open-postgres.js';
import { createTestSchema } from './test-schema.js';

const { pg } = testServiceUrls();
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
});

storageContract('postgres', async () => {
  const schema = await createTestSchema(pg!);
  drops.push(schema.drop);
  return openPostgres({ url: schema.url });
}, { skip: pg ? undefined : 'SHOPWISE_TEST_PG_URL is not set' });
