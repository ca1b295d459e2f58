/**
 * Choosing where ONNX Runtime runs: CUDA (Linux x64, when its add-on is installed),
 * DirectML (Windows), CoreML (macOS), WebGPU (bundled), then the CPU.
 *
 * ONNX Runtime does not fall back by itself: a session created with
 * `['cuda', 'cpu']` or `['webgpu', 'cpu']` on a machine without that GPU throws. So
 * each provider is tried alone, in turn, and the reason each one was passed over
 * is kept for `surveyor doctor`.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { SurveyorError } from '../core/errors.js';
import { logger } from '../core/log.js';

const log = logger('providers');

export type Device = 'auto' | 'gpu' | 'cpu';
export const DEVICES: Device[] = ['auto', 'gpu', 'cpu'];

export interface ProviderAttempt {
  provider: string;
  used: boolean;
  /** Why it was not used (absent for the one in use). */
  reason?: string;
}

/** The GPU providers worth trying on this platform, best first. */
export function gpuCandidates(platform = process.platform, arch = process.arch): string[] {
  const first: string[] = [];
  if (platform === 'linux' && arch === 'x64') first.push('cuda');
  if (platform === 'win32') first.push('dml');
  if (platform === 'darwin') first.push('coreml');

  return [...first, 'webgpu'];
}

export function parseDevice(value: unknown): Device {
  if (value === undefined) return 'auto';
  if (typeof value === 'string' && (DEVICES as string[]).includes(value)) return value as Device;
  throw new SurveyorError('bad-device', `--device ${String(value)}: not a device; choose one of ${DEVICES.join(', ')}`);
}

/** ONNX Runtime's own log level: quiet (errors only) unless SURVEYOR_LOG asks for debug or trace. */
export function ortSeverity(): 0 | 1 | 2 | 3 | 4 {
  const want = (process.env.SURVEYOR_LOG ?? '').toLowerCase();
  if (want === 'trace') return 0;
  if (want === 'debug') return 2;

  return 4;
}

let envQuieted = false;
function quietEnvironment(): void {
  if (envQuieted) return;
  envQuieted = true;
  const level = ['verbose', 'info', 'warning', 'error', 'fatal'][ortSeverity()] as ort.Env['logLevel'];
  ort.env.logLevel = level;
}

function ortBinDir(): string {
  const require = createRequire(import.meta.url);
  const root = path.dirname(path.dirname(require.resolve('onnxruntime-node')));

  return path.join(root, 'bin', 'napi-v6', process.platform, process.arch);
}

/**
 * Why a provider cannot work here, found without creating a session (creating one
 * would print native errors), or null when it is worth a try.
 */
export function precheck(provider: string): string | null {
  const supported = ort.listSupportedBackends?.() ?? [];
  const entry = supported.find((b) => b.name === provider);
  if (provider === 'cpu') return null;
  if (!entry) return `not in this onnxruntime-node build (it has ${supported.map((b) => b.name).join(', ')})`;
  if (provider === 'cuda' && !fs.existsSync(path.join(ortBinDir(), 'libonnxruntime_providers_cuda.so'))) {
    return (
      'the CUDA add-on of onnxruntime-node is not installed ' +
      '(install it with ONNXRUNTIME_NODE_INSTALL=cuda12, see the README)'
    );
  }
  if (provider === 'webgpu' && process.platform === 'linux' && !hasVulkanLoader()) {
    return 'no Vulkan loader (libvulkan.so.1), which WebGPU needs on Linux';
  }

  return null;
}

function hasVulkanLoader(): boolean {
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/usr/local/lib',
  ];

  return dirs.some((d) => fs.existsSync(path.join(d, 'libvulkan.so.1')));
}

export interface OpenedSession {
  session: ort.InferenceSession;
  provider: string;
  attempts: ProviderAttempt[];
}

/** Creates a session on the first provider that works for `device`. */
export async function openSession(
  modelFile: string,
  device: Device = 'auto',
  options: ort.InferenceSession.SessionOptions = {},
): Promise<OpenedSession> {
  quietEnvironment();
  const order = device === 'cpu' ? ['cpu'] : device === 'gpu' ? gpuCandidates() : [...gpuCandidates(), 'cpu'];
  const attempts: ProviderAttempt[] = [];
  for (const provider of order) {
    const why = precheck(provider);
    if (why) {
      attempts.push({ provider, used: false, reason: why });
      continue;
    }
    try {
      const session = await ort.InferenceSession.create(modelFile, {
        ...options,
        executionProviders: [provider],
        logSeverityLevel: ortSeverity(),
      });
      attempts.push({ provider, used: true });
      log.debug(`${path.basename(modelFile)} runs on ${provider}`);

      return { session, provider, attempts };
    } catch (err) {
      const reason = firstLine(err);
      attempts.push({ provider, used: false, reason });
      log.debug(`${provider} not used: ${reason}`);
      if (provider === 'cpu')
        throw new SurveyorError('model-load-failed', `${modelFile}: ONNX Runtime cannot load it (${reason})`);
    }
  }

  const tried = attempts.map((a) => `${a.provider}: ${a.reason}`).join('; ');
  throw new SurveyorError(
    'no-gpu',
    `--device gpu: no GPU execution provider works on this machine (${tried}); use --device auto or cpu`,
  );
}

/** The useful line of an ONNX Runtime error (its messages begin with a source path). */
function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n')[0];
  const tail = line.match(/(?:false\.|\] :)\s*(.+)$/);

  return (tail ? tail[1] : line).trim().slice(0, 240);
}
