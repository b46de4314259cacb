// The catalogue listing, GET /api/services, as the demo requester sees it, against a baseline:
// a bare Fastify route doing one indexed select on the same database, in the same process.
// The ratio portal/baseline says what the portal's layers (auth, validation, the listing's
// queries, serialization) cost on top of the floor the runtime and the driver set.
import { startBaseline } from './baseline.ts';
import { measure, type Measurement, type MeasureSettings } from './measure.ts';
import { requesterCredentials, startPortal } from './portal.ts';

export async function catalogueBench(
  engine: string,
  where: Parameters<typeof startPortal>[0],
  settings: MeasureSettings,
  log: (line: string) => void,
): Promise<Measurement[]> {
  const portal = await startPortal(where);
  const baseline = await startBaseline(portal.database);
  try {
    const credentials = await requesterCredentials(portal.url);
    return await measure(
      'catalogue',
      engine,
      [
        await baseline.target(),
        {
          target: 'portal, Bearer token',
          origin: portal.url,
          paths: ['/api/services'],
          headers: { authorization: credentials.bearer },
          serverTimes: portal.serverTimes,
        },
        {
          target: 'portal, session cookie',
          origin: portal.url,
          paths: ['/api/services'],
          headers: { cookie: credentials.cookie },
          serverTimes: portal.serverTimes,
        },
      ],
      settings,
      log,
    );
  } finally {
    await baseline.close();
    await portal.close();
  }
}
