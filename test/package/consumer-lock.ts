/**
 * @module
 * A package-lock.json for an empty project that depends on the packed leanml tarball (and,
 * optionally, some of leanml's development packages such as the TensorFlow.js peers), built
 * from leanml's own lock: the same versions and integrity hashes that `npm ci` put in npm's
 * cache, so `npm ci --offline` in that project needs no registry.
 */

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

export interface Lockfile {
  name?: string;
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

/** Where Node finds `dep` required from the package installed at `from` (a lock key). */
function resolveKey(lock: Lockfile, from: string, dep: string): string | undefined {
  let dir = from;
  for (;;) {
    const key = `${dir === '' ? '' : `${dir}/`}node_modules/${dep}`;
    if (lock.packages[key]) return key;
    if (dir === '') return undefined;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i < 0 ? '' : dir.slice(0, i);
  }
}

/** The lock keys of `roots` (package names) and everything they depend on, as laid out in `lock`. */
export function closure(lock: Lockfile, roots: Record<string, string>, from = ''): Set<string> {
  const seen = new Set<string>();
  const visit = (at: string, deps: Record<string, string>, optional: boolean) => {
    for (const d of Object.keys(deps)) {
      const key = resolveKey(lock, at, d);
      if (key === undefined) {
        if (optional) continue;
        throw new Error(`consumer-lock: ${d} (needed by ${at || 'the project'}) is not in the lock`);
      }
      if (seen.has(key)) continue;
      seen.add(key);
      const e = lock.packages[key]!;
      visit(key, e.dependencies ?? {}, false);
      visit(key, e.optionalDependencies ?? {}, true);
    }
  };
  visit(from, roots, false);
  return seen;
}

/**
 * The consumer's lock: leanml from `tarball` (a path relative to the project) with its runtime
 * dependencies, plus `extra` packages (name -> range) taken from leanml's lock.
 */
export function consumerLock(
  lock: Lockfile,
  leanml: {
    version: string;
    dependencies: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  },
  tarball: string,
  integrity: string,
  extra: Record<string, string> = {},
): Lockfile {
  const keys = closure(lock, { ...leanml.dependencies, ...extra });
  const packages: Record<string, LockEntry> = {
    '': { name: 'consumer', version: '1.0.0', dependencies: { leanml: `file:${tarball}`, ...extra } },
    'node_modules/leanml': {
      version: leanml.version,
      resolved: `file:${tarball}`,
      integrity,
      license: 'MIT',
      dependencies: leanml.dependencies,
      ...(leanml.peerDependencies ? { peerDependencies: leanml.peerDependencies } : {}),
      ...(leanml.peerDependenciesMeta ? { peerDependenciesMeta: leanml.peerDependenciesMeta } : {}),
    },
  };
  for (const k of [...keys].sort()) {
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = lock.packages[k]!;
    packages[k] = entry;
  }
  return { name: 'consumer', lockfileVersion: 3, packages };
}
