// MIT profile syntax (krb5.conf(5) "Structure"): sections, relations, subsections, final marks, includes.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from './errors';

/** Where a relation was written, so value errors can name the line. */
export interface ProfileSource {
  file: string;
  line: number;
}

/** One `tag = value` or `tag = { ... }`; `final` (a `*`) hides the tag's values in later files. */
export interface ProfileRelation {
  value: string | ProfileTree;
  final: boolean;
  source: ProfileSource;
}

/** Tags to their relations in file order. Top-level tags are section names. */
export type ProfileTree = Map<string, ProfileRelation[]>;

/** MIT stops at this include depth (a guard against include loops). */
const maxIncludeDepth = 5;
/** includedir and KRB5_CONFIG directories read files named like this, as MIT does. */
const includedFileName = /^(?:[A-Za-z0-9_-]+|[^.].*\.conf)$/;

const quotedEscapes: Record<string, string> = { n: '\n', t: '\t', b: '\b', '\\': '\\', '"': '"' };

function syntax(source: ProfileSource, message: string): ConfigError {
  return new ConfigError('KRB5_CONF_SYNTAX', `${source.file}:${source.line}: ${message}`, {
    hint: 'see krb5.conf(5): [section] headers, tag = value relations, tag = { ... } subsections',
  });
}

function add(tree: ProfileTree, tag: string, relation: ProfileRelation): void {
  const list = tree.get(tag);
  if (list) list.push(relation);
  else tree.set(tag, [relation]);
}

function parseValue(raw: string, source: ProfileSource): string {
  if (!raw.startsWith('"')) return raw;
  let out = '';
  for (let i = 1; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (ch === '"') {
      if (raw.slice(i + 1).trim() !== '') throw syntax(source, 'text after the closing quote');
      return out;
    }
    if (ch === '\\') {
      const next = raw[++i];
      if (next === undefined) break;
      out += quotedEscapes[next] ?? next;
    } else {
      out += ch;
    }
  }
  throw syntax(source, 'unterminated quoted value');
}

/**
 * Parses one file's text into `root` (shared with the files it includes). Included files are
 * syntactically independent: each starts outside any section, as in MIT.
 */
export async function parseProfileText(
  text: string,
  file: string,
  root: ProfileTree = new Map(),
  depth = 0,
): Promise<ProfileTree> {
  /** Open subsections, innermost last; empty outside a section. */
  const stack: ProfileTree[] = [];
  let pendingBrace: { tag: string; final: boolean; source: ProfileSource } | undefined;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const source = { file, line: index + 1 };
    const rawLine = (lines[index] as string).replace(/\r$/, '');
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;

    const directive = /^(include|includedir|module)\s+(.+?)\s*$/.exec(rawLine);
    if (directive) {
      const [, kind, target] = directive as unknown as [string, string, string];
      if (kind === 'module') throw syntax(source, 'profile modules are not supported');
      if (depth >= maxIncludeDepth) throw syntax(source, `includes nested deeper than ${maxIncludeDepth}`);
      await includePath(target, kind === 'includedir', root, depth + 1, source);
      continue;
    }

    if (pendingBrace) {
      if (line !== '{') throw syntax(pendingBrace.source, `'${pendingBrace.tag} =' needs a value or {`);
      const child: ProfileTree = new Map();
      add(stack[stack.length - 1] as ProfileTree, pendingBrace.tag, {
        value: child,
        final: pendingBrace.final,
        source: pendingBrace.source,
      });
      stack.push(child);
      pendingBrace = undefined;
      continue;
    }

    const header = /^\[([^\]]*)\](\*?)\s*$/.exec(line);
    if (header) {
      if (stack.length > 1) throw syntax(source, `section header inside an open '{' (missing '}')`);
      const name = (header[1] as string).trim();
      if (name === '') throw syntax(source, 'empty section name');
      let section = root.get(name)?.find((r) => typeof r.value !== 'string');
      if (!section) {
        section = { value: new Map(), final: false, source };
        add(root, name, section);
      }
      if (header[2] === '*') section.final = true;
      stack.length = 0;
      stack.push(section.value as ProfileTree);
      continue;
    }

    if (line.startsWith('}')) {
      if (stack.length <= 1) throw syntax(source, "'}' without a matching '{'");
      if (!/^}\*?$/.test(line)) throw syntax(source, "text after '}'");
      const closed = stack.pop() as ProfileTree;
      if (line === '}*') markFinal(stack[stack.length - 1] as ProfileTree, closed);
      continue;
    }

    const relation = /^([^=\s*][^=]*?)\s*(\*?)\s*=\s*(.*)$/.exec(line);
    if (!relation) throw syntax(source, `expected 'tag = value', got '${line}'`);
    const current = stack[stack.length - 1];
    if (!current) throw syntax(source, 'relation outside of a [section]');
    const [, tag, star, rest] = relation as unknown as [string, string, string, string];
    const final = star === '*';
    if (rest === '') {
      pendingBrace = { tag, final, source };
    } else if (rest === '{') {
      const child: ProfileTree = new Map();
      add(current, tag, { value: child, final, source });
      stack.push(child);
    } else {
      add(current, tag, { value: parseValue(rest, source), final, source });
    }
  }
  if (pendingBrace) throw syntax(pendingBrace.source, `'${pendingBrace.tag} =' needs a value or {`);
  if (stack.length > 1) throw syntax({ file, line: lines.length }, "missing '}' at end of file");
  return root;
}

function markFinal(parent: ProfileTree, child: ProfileTree): void {
  for (const list of parent.values()) {
    for (const relation of list) if (relation.value === child) relation.final = true;
  }
}

async function includePath(
  path: string,
  directory: boolean,
  root: ProfileTree,
  depth: number,
  from: ProfileSource,
): Promise<void> {
  try {
    if (!directory) {
      await parseProfileText(await readFile(path, 'utf8'), path, root, depth);
      return;
    }
    for (const name of (await readdir(path)).filter((n) => includedFileName.test(n)).sort()) {
      const file = join(path, name);
      if ((await stat(file)).isFile())
        await parseProfileText(await readFile(file, 'utf8'), file, root, depth);
    }
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError('KRB5_CONF_INCLUDE', `${from.file}:${from.line}: cannot read included ${path}`, {
      hint: 'an included file or directory must exist and be readable (use an absolute path)',
      cause: err,
    });
  }
}

/**
 * Merges the trees of several files (KRB5_CONFIG order): a tag's relations from later files are
 * appended unless an earlier file marked that tag final; subsections with one name merge likewise.
 */
export function mergeProfiles(trees: readonly ProfileTree[]): ProfileTree {
  const merged: ProfileTree = new Map();
  for (const tree of trees) mergeInto(merged, tree);
  return merged;
}

function mergeInto(target: ProfileTree, source: ProfileTree): void {
  for (const [tag, relations] of source) {
    const existing = target.get(tag);
    if (!existing) {
      target.set(tag, relations.map(copyRelation));
      continue;
    }
    if (existing.some((r) => r.final)) continue;
    for (const relation of relations) {
      const section = existing.find((r) => typeof r.value !== 'string');
      if (typeof relation.value !== 'string' && section)
        mergeInto(section.value as ProfileTree, relation.value);
      else existing.push(copyRelation(relation));
    }
  }
}

function copyRelation(relation: ProfileRelation): ProfileRelation {
  if (typeof relation.value === 'string') return relation;
  const value: ProfileTree = new Map();
  mergeInto(value, relation.value);
  return { ...relation, value };
}

/** All relations at `path` (section, subsection..., tag). */
export function profileRelations(tree: ProfileTree, path: readonly string[]): ProfileRelation[] {
  const [head, ...rest] = path;
  if (head === undefined) return [];
  const relations = tree.get(head) ?? [];
  if (rest.length === 0) return relations;
  return relations.flatMap((r) => (typeof r.value === 'string' ? [] : profileRelations(r.value, rest)));
}
