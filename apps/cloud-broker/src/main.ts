// `npm run broker`: the private-cloud broker in demo mode (real-time delays, occasional failures),
// configured by BROKER_* environment variables (README.md).
import pino from 'pino';
import { startBroker } from './app.ts';
import { BrokerConfigError, loadBrokerConfig } from './config.ts';

async function main(): Promise<void> {
  const config = loadBrokerConfig();
  const logger = pino({
    level: config.LOG_LEVEL,
    ...(process.stdout.isTTY
      ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } }
      : {}),
    redact: ['req.headers.authorization'],
  });
  const rate = config.BROKER_FAILURE_RATE;
  const broker = await startBroker({
    port: config.BROKER_PORT,
    host: config.BROKER_HOST,
    username: config.BROKER_USERNAME,
    password: config.BROKER_PASSWORD,
    timeScale: config.BROKER_TIME_SCALE,
    dataDir: config.BROKER_DATA_DIR,
    failures: { provision: rate, update: rate, deprovision: rate, seed: config.BROKER_SEED },
    logger,
  });
  logger.info(
    {
      url: broker.url,
      username: config.BROKER_USERNAME,
      timeScale: config.BROKER_TIME_SCALE,
      failureRate: rate,
      dataDir: config.BROKER_DATA_DIR,
    },
    `cloud broker ready: ${broker.url}/v2/catalog (OSB API 2.17, basic auth)`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      broker.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

main().catch((error: unknown) => {
  if (error instanceof BrokerConfigError) {
    console.error(`cloud-broker: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
