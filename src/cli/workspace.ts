import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { InputError, parseCidr } from '../domain/index.js';
import type { Cidr } from '../domain/index.js';
import { openSqliteStore } from '../store/index.js';
import type { Store } from '../store/index.js';

/** The folder name a workspace keeps its state in. */
export const WORKSPACE_DIR = '.bulkhead';
const DATABASE = 'bulkhead.db';

/** A workspace: its state folder and the project folder around it. */
export interface Workspace {
  /** The `.bulkhead` folder. */
  readonly stateDir: string;
  /** The folder holding `.bulkhead`, where policies and outputs go by default. */
  readonly root: string;
}

function isStateDir(dir: string): boolean {
  return existsSync(join(dir, DATABASE));
}

/** The setting that holds the ranges a workspace declares internal. */
const INTERNAL_SETTING = 'internal';

/**
 * Parses `--internal 141.81.0.0/24,2001:db8::/32`.
 *
 * @throws InputError naming the bad prefix.
 */
export function parseInternal(text: string): Cidr[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      try {
        return parseCidr(part);
      } catch (error) {
        throw new InputError(`Cannot read --internal: ${(error as Error).message}`, undefined, {
          cause: error,
        });
      }
    });
}

/**
 * Creates a workspace in `dir` (the folder is created when missing); idempotent. `internal`
 * declares public ranges the user's own estate uses, so they are not taken for the
 * internet.
 */
export function initWorkspace(dir: string, internal?: readonly Cidr[]): Workspace {
  const root = resolve(dir);
  const stateDir = join(root, WORKSPACE_DIR);
  mkdirSync(stateDir, { recursive: true });
  const store = openSqliteStore(join(stateDir, DATABASE));
  try {
    if (internal !== undefined) store.setSetting(INTERNAL_SETTING, internal);
  } finally {
    store.close();
  }
  return { root, stateDir };
}

/** The ranges the workspace declares internal beyond the private ones. */
export function readInternal(store: Store): Cidr[] {
  const value = store.getSetting(INTERNAL_SETTING);
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string').map(parseCidr)
    : [];
}

/**
 * Finds the workspace: `--workspace DIR` (the project folder or its `.bulkhead`), else
 * BULKHEAD_WORKSPACE, else the nearest `.bulkhead/` from the current folder upwards.
 *
 * @throws InputError saying how to create one when none is found.
 */
export function findWorkspace(option: string | undefined): Workspace {
  const given = option ?? process.env.BULKHEAD_WORKSPACE;
  if (given !== undefined && given !== '') {
    const dir = resolve(given);
    if (isStateDir(dir)) return { stateDir: dir, root: dirname(dir) };
    if (isStateDir(join(dir, WORKSPACE_DIR)))
      return { stateDir: join(dir, WORKSPACE_DIR), root: dir };
    throw new InputError(
      `Cannot open workspace "${given}": it holds no ${WORKSPACE_DIR}/${DATABASE}; run "bulkhead init ${given}" first`,
    );
  }

  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const candidate = join(dir, WORKSPACE_DIR);
    if (existsSync(candidate) && statSync(candidate).isDirectory() && isStateDir(candidate)) {
      return { stateDir: candidate, root: dir };
    }
    if (dirname(dir) === dir) break;
  }
  throw new InputError(
    `Cannot find a workspace: no ${WORKSPACE_DIR}/ in ${process.cwd()} or above; run "bulkhead init" or pass --workspace DIR`,
  );
}

/** Opens the workspace's store. */
export function openWorkspaceStore(workspace: Workspace): Store {
  return openSqliteStore(join(workspace.stateDir, DATABASE));
}
