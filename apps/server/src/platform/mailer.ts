// Outgoing e-mail. With SMTP_URL, over SMTP (nodemailer); without it (the demo, development) each
// message is written as an .eml file under DATA_DIR/mail, a local inbox any mail client opens:
// nothing is sent to the world by accident and nothing is dropped silently.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from './config.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** Stable per message, so a message sent twice after a crash shows once in a mail client. */
  messageId: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  /** Where mail goes, for the log at start-up ("smtp://mail.example.com:25", "files in data/mail"). */
  readonly destination: string;
}

export function createMailer(config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'DATA_DIR'>): Mailer {
  const from = config.MAIL_FROM;
  if (config.SMTP_URL) {
    const transport = nodemailer.createTransport(config.SMTP_URL);
    const url = new URL(config.SMTP_URL);
    return {
      destination: `${url.protocol}//${url.host}`,
      send: async (mail) => {
        await transport.sendMail({ from, ...mail });
      },
    };
  }
  const dir = path.join(config.DATA_DIR, 'mail');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    destination: `files in ${dir}`,
    send: async (mail) => {
      const info = await transport.sendMail({ from, ...mail });
      await mkdir(dir, { recursive: true });
      const name = mail.messageId.replace(/[<>]/g, '').replace(/[^\w.@-]/g, '_');
      await writeFile(path.join(dir, `${name}.eml`), info.message as Buffer);
    },
  };
}
