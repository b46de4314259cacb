import pino, { type Logger } from 'pino';

export function createLogger(level: string, pretty = process.stdout.isTTY): Logger {
  return pino({
    level,
    ...(pretty ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } } : {}),
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
  });
}
