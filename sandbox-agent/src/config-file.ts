/**
 * The operator's config file (README "Config file"): JSON, validated with the same schema the
 * agent applies, so a typo is a start-up error naming the file and the field, never a silently
 * ignored limit. It overrides the default sandbox profile and the number of sandboxes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_PROFILE, Profile, ProfileOverrides } from '../../protocol/profile';

export const ConfigFile = z.strictObject({
  /** Fields of the default profile to change; the rest keep their defaults. */
  profile: ProfileOverrides.omit({ name: true }).optional(),
  /** Sandboxes this agent runs at once (each learner has at most one); LAB_MAX_SANDBOXES wins. */
  maxSandboxes: z.number().int().min(1).max(4096).optional(),
});
export type ConfigFile = z.infer<typeof ConfigFile>;

export class ConfigFileError extends Error {
  override name = 'ConfigFileError';
}

function explain(path: string, error: z.ZodError): ConfigFileError {
  const i = error.issues[0]!;
  const where = i.path.length ? ` at ${i.path.join('.')}` : '';
  return new ConfigFileError(`${path}${where}: ${i.message}`);
}

/** Read `path` if it exists (a missing optional file means "no overrides"). */
export function readConfigFile(path: string, required: boolean): ConfigFile {
  if (!existsSync(path)) {
    if (required) throw new ConfigFileError(`${path}: no such file (LAB_CONFIG names it)`);
    return {};
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigFileError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const r = ConfigFile.safeParse(raw);
  if (!r.success) throw explain(path, r.error);
  return r.data;
}

/** The default profile with the file's and then the environment's overrides, checked as a whole. */
export function resolveProfile(path: string, file: ConfigFile, env: ProfileOverrides): Profile {
  const r = Profile.safeParse({ ...DEFAULT_PROFILE, ...file.profile, ...env });
  if (!r.success) throw explain(`${path} (profile, after overrides)`, r.error);
  return r.data;
}
