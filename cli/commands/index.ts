import type { Command } from '../command.js';
import { ingestCommand } from './ingest.js';
import { papersCommand } from './papers.js';
import { searchCommand } from './search.js';
import { showCommand } from './show.js';

/** Every command, in the order `surveyor --help` lists them. Add one line per new command. */
export const COMMANDS: Command[] = [ingestCommand, papersCommand, showCommand, searchCommand];
