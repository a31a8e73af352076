import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A throw-away certificate authority made with the `openssl` command line: a CA, a server certificate for
 * 127.0.0.1 / localhost signed by it, and a client certificate signed by it. For the TLS tests of the
 * orchestrator (API and syslog stream).
 */

export interface TestCa {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A second CA that signed nothing the server trusts, with a client certificate of its own. */
  strangerCert: string;
  strangerKey: string;
  read(file: string): Buffer;
}

const openssl = (args: string[], cwd: string): void => {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
};

function signed(dir: string, ca: string, name: string, subject: string, extensions: string): void {
  writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(
    ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', subject].concat([
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    ]),
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.crt`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
    ].concat(['-days', '2', '-out', `${name}.crt`, '-extfile', `${name}.ext`]),
    dir,
  );
}

function authority(dir: string, name: string): void {
  openssl(
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2']
      .concat(['-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`])
      .concat(['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']),
    dir,
  );
}

export function makeTestCa(dir: string): TestCa {
  mkdirSync(dir, { recursive: true });
  authority(dir, 'ca');
  signed(
    dir,
    'ca',
    'server',
    '/CN=localhost',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  signed(dir, 'ca', 'client', '/CN=soc-analyst', 'extendedKeyUsage=clientAuth\n');
  authority(dir, 'stranger-ca');
  signed(dir, 'stranger-ca', 'stranger', '/CN=stranger', 'extendedKeyUsage=clientAuth\n');
  const at = (file: string) => path.join(dir, file);
  return {
    dir,
    caCert: at('ca.crt'),
    serverCert: at('server.crt'),
    serverKey: at('server.key'),
    clientCert: at('client.crt'),
    clientKey: at('client.key'),
    strangerCert: at('stranger.crt'),
    strangerKey: at('stranger.key'),
    read: (file) => readFileSync(file),
  };
}
