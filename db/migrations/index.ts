import type { Migration } from '../migrate.js';
import { migration001 } from './001_papers.js';
import { migration002 } from './002_embeddings.js';
import { migration003 } from './003_graph.js';
import { migration004 } from './004_taxonomy.js';
import { migration005 } from './005_layouts.js';
import { migration006 } from './006_topic_model.js';

/** Every migration, in order. Add new ones at the end with the next number. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
];
