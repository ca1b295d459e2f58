/**
 * The API the page talks to, shared by both transports: HTTP (`surveyor serve`) and IPC (the
 * Electron window). Inputs are zod schemas, checked at the boundary before anything runs; outputs
 * are the plain JSON types of types.ts, which the renderer imports (never zod).
 */
import { z } from 'zod';
import { DIRECTIONS, EXPORT_FORMATS, type MethodName } from './types.js';

export * from './types.js';

const paperId = z.number().int().positive();
const empty = z.object({}).strict().optional();
const layoutKey = z.string().regex(/^[0-9a-f]{16}$/);

/** Every method's input. An unknown key is an error, so a typo never passes silently. */
export const INPUTS = {
  info: empty,
  papers: empty,
  paper: z.object({ id: paperId }).strict(),
  search: z
    .object({
      query: z.string().trim().min(1).max(500),
      limit: z.number().int().min(1).max(200).optional(),
      mode: z.enum(['auto', 'text', 'semantic']).optional(),
    })
    .strict(),
  graph: empty,
  missing: z
    .object({ limit: z.number().int().min(1).max(1000).optional() })
    .strict()
    .optional(),
  setDirection: z.object({ id: paperId, direction: z.enum([...DIRECTIONS, 'auto']) }).strict(),
  startJob: z.discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('ingest'),
        // Absolute paths on this machine (the desktop app: dialogs, dropped files).
        paths: z.array(z.string().min(1).max(4096)).min(1).max(100_000).optional(),
        // Upload ids from `POST /api/upload` (the browser page: dropped files).
        uploads: z
          .array(z.string().regex(/^[a-f0-9]{32}$/))
          .min(1)
          .max(100_000)
          .optional(),
      })
      .strict()
      .refine((v) => (v.paths ? 1 : 0) + (v.uploads ? 1 : 0) === 1, { message: 'give either paths or uploads' }),
    z.object({ kind: z.literal('embed') }).strict(),
    z.object({ kind: z.literal('build'), resolution: z.number().positive().max(10).optional() }).strict(),
  ]),
  cancelJob: z.object({ jobId: z.string().regex(/^[a-z0-9-]{1,64}$/) }).strict(),
  jobs: empty,
  exportOutline: z.object({ format: z.enum(EXPORT_FORMATS) }).strict(),
  layout: z.object({ key: layoutKey }).strict(),
  saveLayout: z
    .object({
      key: layoutKey,
      // Flat [paperId, x, y, …]: whole triples of finite numbers, up to 200,000 papers.
      positions: z
        .array(z.number().finite())
        .max(600_000)
        .refine((p) => p.length % 3 === 0, { message: 'positions come in [id, x, y] triples' }),
    })
    .strict(),
} as const satisfies Record<MethodName, z.ZodType>;

export const METHOD_NAMES = Object.keys(INPUTS) as MethodName[];
export type Input<M extends MethodName> = z.input<(typeof INPUTS)[M]>;
export type ParsedInput<M extends MethodName> = z.output<(typeof INPUTS)[M]>;
