import type { Command } from '../command.js';
import { buildCommand } from './build.js';
import { doctorCommand } from './doctor.js';
import { embedCommand } from './embed.js';
import { exportCommand } from './export.js';
import { graphCommand } from './graph.js';
import { importCommand } from './import.js';
import { ingestCommand } from './ingest.js';
import { missingCommand } from './missing.js';
import { papersCommand } from './papers.js';
import { recoverCommand } from './recover.js';
import { searchCommand } from './search.js';
import { serveCommand } from './serve.js';
import { setDirectionCommand } from './set-direction.js';
import { showCommand } from './show.js';
import { surveyCommand } from './survey.js';
import { similarCommand } from './similar.js';

/** Every command, in the order `surveyor --help` lists them. Add one line per new command. */
export const COMMANDS: Command[] = [ingestCommand, papersCommand, showCommand, searchCommand, serveCommand, embedCommand, similarCommand, doctorCommand, importCommand, buildCommand, graphCommand, missingCommand, setDirectionCommand, exportCommand, surveyCommand, recoverCommand];
