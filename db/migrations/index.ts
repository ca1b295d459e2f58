import type { Migration } from '../migrate.js';
import { migration001 } from './001_papers.js';

/** Every migration, in order. Add new ones at the end with the next number. */
export const MIGRATIONS: readonly Migration[] = [migration001];
