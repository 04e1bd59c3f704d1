import { storageContract } from '../storage.contract.js';
import { openSqlite } from './open-sqlite.js';

storageContract('sqlite (in memory)', () => openSqlite({ file: ':memory:' }));
