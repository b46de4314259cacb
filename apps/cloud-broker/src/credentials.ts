// The simulated resources and the credentials a binding hands out. Nothing here is reachable;
// the values look like the real thing so the portal can show them and adapters can store them.
// Each binding gets its own user and secret (spec: credentials SHOULD be unique per binding, so
// one can be revoked without touching the others).
import { createHash, randomBytes } from 'node:crypto';
import type { ServiceKind } from './catalog.ts';

const DOMAIN = 'cloud.example.com';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const secret = (bytes: number) => randomBytes(bytes).toString('base64url');
const short = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 8);

/** Fixed when the instance is created: what a real cloud would have allocated. */
export function allocateResource(
  kind: ServiceKind,
  instanceId: string,
  parameters: Record<string, unknown>,
): Record<string, unknown> {
  const region = String(parameters.region ?? 'dc1');
  const net = region === 'dc2' ? 21 : 20;
  const ip = `10.${net}.${randomBytes(1)[0]!}.${1 + (randomBytes(1)[0]! % 253)}`;
  switch (kind) {
    case 'vm': {
      const hostname =
        typeof parameters.hostname === 'string' ? parameters.hostname : `vm-${short(instanceId)}`;
      const windows = String(parameters.os).startsWith('windows');
      const zone = windows && parameters.adDomain === 'dmz' ? 'dmz.example.com' : `${region}.${DOMAIN}`;
      return { hostname, fqdn: `${hostname}.${zone}`, ip, region };
    }
    case 'postgresql':
      return { host: `pg-${short(instanceId)}.${region}.db.${DOMAIN}`, ip, port: 5432, region };
    case 'bucket':
      return { bucket: parameters.bucketName, endpoint: `https://s3.${region}.${DOMAIN}`, region };
  }
}

export interface Issued {
  credentials: Record<string, unknown>;
  endpoints: { host: string; ports: string[]; protocol: 'tcp' }[];
}

export function issueCredentials(
  kind: ServiceKind,
  bindingId: string,
  resource: Record<string, unknown>,
  instanceParameters: Record<string, unknown>,
  bindParameters: Record<string, unknown>,
): Issued {
  switch (kind) {
    case 'vm': {
      const host = String(resource.fqdn);
      const windows = String(instanceParameters.os).startsWith('windows');
      const username =
        typeof bindParameters.username === 'string' ? bindParameters.username : `u${short(bindingId)}`;
      const port = windows ? 3389 : 22;
      const protocol = windows ? 'rdp' : 'ssh';
      const key = typeof bindParameters.sshPublicKey === 'string';
      return {
        credentials: {
          protocol,
          host,
          ip: resource.ip,
          port,
          username,
          ...(key ? { authentication: 'ssh-public-key' } : { password: secret(18) }),
          uri: `${protocol}://${username}@${host}:${port}`,
        },
        endpoints: [{ host, ports: [String(port)], protocol: 'tcp' }],
      };
    }
    case 'postgresql': {
      const host = String(resource.host);
      const database = String(instanceParameters.databaseName);
      const username = `${database.slice(0, 40)}_${bindParameters.readOnly ? 'ro' : 'rw'}_${hex(3)}`;
      const password = secret(24);
      return {
        credentials: {
          host,
          port: 5432,
          database,
          username,
          password,
          readOnly: bindParameters.readOnly === true,
          sslmode: 'require',
          uri: `postgresql://${username}:${password}@${host}:5432/${database}?sslmode=require`,
          jdbcUrl: `jdbc:postgresql://${host}:5432/${database}?user=${username}&password=${password}&sslmode=require`,
        },
        endpoints: [{ host, ports: ['5432'], protocol: 'tcp' }],
      };
    }
    case 'bucket': {
      const endpoint = String(resource.endpoint);
      const bucket = String(resource.bucket);
      return {
        credentials: {
          endpoint,
          region: resource.region,
          bucket,
          accessKeyId: `PTC${randomBytes(10).toString('hex').toUpperCase().slice(0, 17)}`,
          secretAccessKey: secret(30),
          readOnly: bindParameters.readOnly === true,
          uri: `s3://${bucket}`,
        },
        endpoints: [{ host: new URL(endpoint).host, ports: ['443'], protocol: 'tcp' }],
      };
    }
  }
}
