// The gateway's configuration: YAML or JSON, checked against one schema; every error names its key path.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseKdcAddress } from '@kerbkit/client';
import { KerbkitError } from '@kerbkit/errors';
import { IDENTITY_SOURCES } from '@kerbkit/x509';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export class ConfigError extends KerbkitError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('CONFIG_INVALID', message, {
      hint: options.hint ?? 'fix the configuration key named in the message (docs/gateway-config.md)',
      cause: options.cause,
    });
  }
}

export interface ListenAddress {
  host: string;
  /** 0 lets the system choose (tests); the bound port is on Gateway.url. */
  port: number;
}

export interface BackendConfig {
  url: URL;
  /** The backend's service principal; default `HTTP/<backend host>`. */
  spn: string;
  /** Absolute paths of PEM bundles that verify an https backend; none: the system's CAs. */
  ca: string[];
}

export interface RouteConfig {
  /** A path prefix, matched at a segment boundary, case-insensitively (IIS paths are). */
  path: string;
  backend: BackendConfig;
}

export interface GatewayConfig {
  /** The configuration file, or undefined for parseConfig on an object. */
  file: string | undefined;
  listen: ListenAddress;
  tls: { cert: string; key: string; clientCa: string[]; crl: string[] };
  identity: {
    source: (typeof IDENTITY_SOURCES)[number];
    /**
     * How a UPN is named to the KDC: `upn`, an enterprise name the KDC looks the account up by (as AD's
     * own certificate logon); `account`, `<UPN prefix>@<UPN suffix>` as an account name in that realm.
     */
    kerberosName: 'upn' | 'account';
    allowedRealms?: string[];
    requireSid: boolean;
    allowSmartcardLogon: boolean;
  };
  kerberos: {
    realm: string;
    /** In failover order. */
    kdcs: string[];
    principal: string;
    keytab: string;
    timeoutMs: number;
    /** The lifetime asked for the gateway's TGT (and so its users' tickets); the KDC's policy may shorten it. */
    ticketLifetimeSeconds: number | undefined;
    allowWeakCrypto: boolean;
    /** Send the device certificate in S4U2Self (PA-S4U-X509-USER): the KDC then maps and checks it too. */
    s4uWithCertificate: boolean;
    cache: { maxEntries: number; negativeTtlSeconds: number; refreshMarginSeconds: number };
  };
  routes: RouteConfig[];
  limits: {
    maxBodyBytes: number;
    requestTimeoutSeconds: number;
    backendConnectionsPerUser: number;
    /** Requests of one user in flight at once (held ones included); beyond: 503. */
    requestsPerUser: number;
    /** Device connections open at once; beyond, new ones are closed unserved. */
    maxConnections: number;
    /** Device connections from one IP address; unset: no bound (carrier NAT puts many phones behind one). */
    connectionsPerAddress: number | undefined;
  };
  admin: { listen: ListenAddress } | undefined;
  log: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' };
}

/** The default routes: the two paths an ActiveSync device uses. */
export const DEFAULT_ROUTE_PATHS = ['/Microsoft-Server-ActiveSync', '/autodiscover'] as const;

const text = z.string().trim().min(1, 'must not be empty');
const files = z.union([text, z.array(text).min(1, 'must list at least one file')]);

const listen = text.transform((value, ctx): ListenAddress => {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (!match || port > 65535) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not host:port (port 0-65535; [v6]:port)` });
    return z.NEVER;
  }
  return { host: match[1] ?? match[2] ?? '', port };
});

const kdc = text.superRefine((value, ctx) => {
  try {
    parseKdcAddress(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

const backend = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .refine((value) => !/[?#]/.test(value), 'must not have a query or fragment'),
  spn: text
    .regex(/^[^/@\s]+\/[^@\s]+(@[^@\s]+)?$/, 'must be service/host, e.g. HTTP/mail.corp.test')
    .optional(),
  ca: files.optional(),
});

const routePath = text.regex(/^\/[^?#\s]*$/, 'must be a path starting with / (no query)');

const principal = text.regex(/^[^@\s]+@[^@\s]+$/, 'must be name@REALM');

const schema = z.strictObject({
  listen,
  tls: z.strictObject({ cert: text, key: text, clientCa: files, crl: files.optional() }),
  identity: z
    .strictObject({
      source: z.enum(IDENTITY_SOURCES).default('upn'),
      kerberosName: z.enum(['upn', 'account']).default('upn'),
      allowedRealms: z.array(text).min(1, 'must list at least one realm (omit it to allow any)').optional(),
      requireSid: z.boolean().default(false),
      allowSmartcardLogon: z.boolean().default(false),
    })
    .default({ source: 'upn', kerberosName: 'upn', requireSid: false, allowSmartcardLogon: false }),
  kerberos: z.strictObject({
    realm: text,
    kdcs: z.array(kdc).min(1, 'must list at least one KDC'),
    principal,
    keytab: text,
    timeoutMs: z.int().min(100).max(60_000).default(3000),
    ticketLifetimeSeconds: z
      .int()
      .min(10)
      .max(7 * 86_400)
      .optional(),
    allowWeakCrypto: z.boolean().default(false),
    s4uWithCertificate: z.boolean().default(false),
    cache: z
      .strictObject({
        maxEntries: z.int().min(1).default(100_000),
        negativeTtlSeconds: z.number().min(0).max(3600).default(30),
        refreshMarginSeconds: z.number().min(0).max(86_400).default(300),
      })
      .default({ maxEntries: 100_000, negativeTtlSeconds: 30, refreshMarginSeconds: 300 }),
  }),
  backend: backend.optional(),
  routes: z
    .array(z.strictObject({ path: routePath, backend: backend.optional() }))
    .min(1)
    .optional(),
  limits: z
    .strictObject({
      maxBodyBytes: z
        .int()
        .min(0)
        .default(50 * 1024 * 1024),
      requestTimeoutSeconds: z.int().min(1).max(86_400).default(3600),
      backendConnectionsPerUser: z.int().min(1).max(100_000).default(10),
      requestsPerUser: z.int().min(1).max(100_000).default(50),
      maxConnections: z.int().min(1).max(1_000_000).default(10_000),
      connectionsPerAddress: z.int().min(1).max(1_000_000).optional(),
    })
    .default({
      maxBodyBytes: 50 * 1024 * 1024,
      requestTimeoutSeconds: 3600,
      backendConnectionsPerUser: 10,
      requestsPerUser: 50,
      maxConnections: 10_000,
    }),
  admin: z.strictObject({ listen }).optional(),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .default({ level: 'info' }),
});

/** The configuration file as written (JSON, or YAML), before defaults: what parseConfig takes. */
export type GatewayConfigFile = z.input<typeof schema>;

type RawConfig = z.infer<typeof schema>;
type RawBackend = z.infer<typeof backend>;

/** `kerberos.kdcs[1]`: the key path as the user wrote it. */
function keyPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

function describe(issue: z.core.$ZodIssue): string {
  const where = issue.path.length === 0 ? '(top level)' : keyPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => keyPath([...issue.path, key])).join(', ');
    return `unknown key ${keys}`;
  }
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return `${where}: is required (${issue.expected})`;
  }
  return `${where}: ${issue.message}`;
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Checks `raw` (a parsed YAML/JSON document) and resolves relative file paths against `baseDir`. */
export function parseConfig(raw: unknown, baseDir: string, file?: string): GatewayConfig {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map(describe);
    throw new ConfigError(`${file ?? 'configuration'}: ${issues.join('; ')}`);
  }
  const config: RawConfig = result.data;
  const path = (value: string) => resolve(baseDir, value);
  const paths = (value: string | string[] | undefined) => asList(value).map(path);

  const toBackend = (value: RawBackend, key: string): BackendConfig => {
    const url = new URL(value.url);
    if (value.spn === undefined && url.hostname === '') {
      throw new ConfigError(`${key}.url: has no host to derive the SPN from`);
    }
    return { url, spn: value.spn ?? `HTTP/${url.hostname}`, ca: paths(value.ca) };
  };
  const routes = (config.routes ?? DEFAULT_ROUTE_PATHS.map((p) => ({ path: p, backend: undefined }))).map(
    (route, index): RouteConfig => {
      const own = route.backend;
      const key = own ? `routes[${index}].backend` : 'backend';
      const chosen = own ?? config.backend;
      if (chosen === undefined) {
        throw new ConfigError(
          `routes[${index}].backend: missing, and there is no top-level backend to fall back on`,
        );
      }
      return { path: route.path.replace(/\/+$/, '') || '/', backend: toBackend(chosen, key) };
    },
  );

  return {
    file,
    listen: config.listen,
    tls: {
      cert: path(config.tls.cert),
      key: path(config.tls.key),
      clientCa: paths(config.tls.clientCa),
      crl: paths(config.tls.crl),
    },
    identity: config.identity,
    kerberos: {
      ...config.kerberos,
      ticketLifetimeSeconds: config.kerberos.ticketLifetimeSeconds,
      keytab: path(config.kerberos.keytab),
    },
    routes,
    limits: { ...config.limits, connectionsPerAddress: config.limits.connectionsPerAddress },
    admin: config.admin,
    log: config.log,
  };
}

/** Reads a YAML or JSON configuration file (JSON is YAML too) and checks it. */
export async function loadConfig(file: string): Promise<GatewayConfig> {
  const absolute = resolve(file);
  let content: string;
  try {
    content = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new ConfigError(`${absolute}: cannot read the configuration file`, {
      hint: 'pass an existing, readable file with --config',
      cause: error,
    });
  }
  let raw: unknown;
  try {
    raw = parseYaml(content, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const where = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const at = where ? ` at line ${where.line}, column ${where.col}` : '';
    throw new ConfigError(`${absolute}: not valid YAML or JSON${at}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseConfig(raw, dirname(absolute), absolute);
}
