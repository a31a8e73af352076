import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { createSecureContext } from 'node:tls';
import { ConfigError } from './config.ts';
import type { TlsConfig } from './service-config.ts';

/**
 * Where the orchestrator may listen, and how. Bearer tokens and run parameters must not cross a network in
 * the clear, so a plain-HTTP orchestrator listens only on the loopback interface, unless the admin says
 * `--insecure-http` in so many words (a TLS-terminating proxy on the same host, say).
 */

/** 127.0.0.0/8, ::1 and `localhost`: addresses no other machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

export function checkListenAddress(host: string, tls: boolean, insecureHttp: boolean): void {
  if (tls || insecureHttp || isLoopbackHost(host)) return;
  throw new ConfigError(
    `refusing to serve plain HTTP on ${host}: tokens and parameters would cross the network unencrypted. ` +
      'Set tls.cert and tls.key in the config (docs/deploy.md), listen on 127.0.0.1, or pass --insecure-http ' +
      'if a TLS proxy on this host fronts the orchestrator.',
  );
}

export interface HttpsOptions {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
  requestCert?: boolean;
  rejectUnauthorized?: boolean;
  minVersion: 'TLSv1.2';
}

/** Reads the PEM files named by `tls` (relative to the config file's folder). */
export function httpsOptions(tls: TlsConfig, configDir: string): HttpsOptions {
  const read = (field: keyof TlsConfig, file: string): Buffer => {
    try {
      return readFileSync(path.resolve(configDir, file));
    } catch (error) {
      throw new ConfigError(`tls.${field}: cannot read ${file} (${(error as Error).message})`);
    }
  };
  const options: HttpsOptions = {
    cert: certificates('cert', tls.cert, read('cert', tls.cert)),
    key: read('key', tls.key),
    minVersion: 'TLSv1.2',
  };
  try {
    createPrivateKey(options.key);
  } catch {
    throw new ConfigError(`tls.key: ${tls.key} holds no PEM private key`);
  }
  try {
    createSecureContext({ cert: options.cert, key: options.key });
  } catch (error) {
    throw new ConfigError(
      `tls.key: ${tls.key} is not the private key of the certificate in ${tls.cert} (${(error as Error).message})`,
    );
  }
  if (tls.ca) {
    // With a CA, a client without a certificate it signed does not get past the handshake. A file with no
    // certificate in it would be taken as a CA that signed nothing, turning every analyst away unexplained.
    options.ca = certificates('ca', tls.ca, read('ca', tls.ca));
    options.requestCert = true;
    options.rejectUnauthorized = true;
  }
  return options;
}

/**
 * The file's contents, once it is known to hold at least one PEM certificate. OpenSSL's own complaint
 * ("PEM routines::no start line") names neither the setting nor the file.
 */
function certificates(field: keyof TlsConfig, file: string, pem: Buffer): Buffer {
  const blocks = pem.toString('latin1').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g);
  try {
    if (!blocks) throw new Error('none');
    for (const block of blocks) new X509Certificate(block);
  } catch {
    throw new ConfigError(`tls.${field}: ${file} holds no PEM certificate`);
  }
  return pem;
}
