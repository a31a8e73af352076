import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from '../core/api.ts';
import type { OrchestratorConfig } from './config.ts';

/**
 * Bearer tokens from the config. Only sha256 digests are kept in memory and compared, in constant time
 * against every known token, so neither a timing difference nor a heap dump gives a token away.
 */

export interface Caller {
  name: string;
  roles: Role[];
  /** Key for the per-token rate limit (the token's digest, never the token). */
  key: string;
  rateLimitPerMinute: number;
}

interface KnownToken {
  digest: Buffer;
  caller: Caller;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export class TokenBook {
  private readonly tokens: KnownToken[] = [];

  constructor(config: OrchestratorConfig, env: NodeJS.ProcessEnv = process.env) {
    for (const token of config.tokens) {
      let digest: Buffer | undefined;
      if (token.token !== undefined) digest = sha256(token.token);
      else if (token.sha256 !== undefined) digest = Buffer.from(token.sha256, 'hex');
      else if (token.env !== undefined) {
        const value = env[token.env];
        if (value === undefined || value.length < 16) {
          process.stderr.write(
            `gridside-orchestrator: token "${token.name}" reads ${token.env}, which is unset or shorter than 16 characters; that token is disabled\n`,
          );
          continue;
        }
        digest = sha256(value);
      }
      if (!digest) continue;
      this.tokens.push({
        digest,
        caller: {
          name: token.name,
          roles: token.roles,
          key: digest.toString('hex'),
          rateLimitPerMinute: token.rateLimitPerMinute ?? config.rateLimit.perMinute,
        },
      });
    }
  }

  /** `Authorization: Bearer <token>` → the caller, or undefined. */
  identify(authorization: string | undefined): Caller | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return undefined;
    const presented = sha256(match[1]!);
    let found: Caller | undefined;
    for (const token of this.tokens) {
      // No early exit: every comparison is made whatever matched.
      if (timingSafeEqual(token.digest, presented)) found = token.caller;
    }
    return found;
  }
}

export const hasAnyRole = (caller: Caller, roles: readonly Role[]): boolean =>
  caller.roles.some((role) => roles.includes(role));
