import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { InvalidArgumentError, type Command } from 'commander';
import { AccountRepository, AuthError, EmailSchema, hashPassword, NameSchema, PasswordSchema } from '@kraken/auth';
import { PrismaService } from '@kraken/db';
import { cliConfig } from '../cli-options';

/** commander parser of an email option: normalised as the API stores it. @throws InvalidArgumentError */
function email(value: string): string {
  const parsed = EmailSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0].message);
  return parsed.data;
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  process.stderr.write(question);
  return new Promise((resolve) => {
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

/** Reads all of stdin (a password piped in), without the trailing line break. */
async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

/** The new admin's password: typed twice at a terminal, else read from stdin. @throws Error when invalid or not repeated */
async function readPassword(): Promise<string> {
  let password: string;
  if (process.stdin.isTTY) {
    password = await promptHidden('Password: ');
    if ((await promptHidden('Repeat the password: ')) !== password) throw new Error('the passwords differ');
  } else {
    password = await readStdin();
  }
  const parsed = PasswordSchema.safeParse(password);
  if (!parsed.success) throw new Error(`password: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

/**
 * `kraken users create-admin --email <email> [--name <name>]`: creates an HTTP API account with role
 * `admin`, the only way to make the first admin (the API never sets roles from a request). The
 * password is prompted for (hidden, twice) at a terminal, or read from stdin
 * (`printf %s "$PASSWORD" | kraken users create-admin --email …`); never from an argument, which
 * would end up in the shell history and the process list.
 */
export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('HTTP API accounts');
  users
    .command('create-admin')
    .description('create an API account with role admin (password from a prompt or stdin)')
    .requiredOption('--email <email>', 'the admin’s email', email)
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .action(async (options: { email: string; name?: string }) => {
      const name = NameSchema.safeParse(options.name ?? options.email.split('@')[0]);
      if (!name.success) throw new Error(`name: ${name.error.issues[0].message}`);
      const password = await readPassword();
      const config = cliConfig();
      const prisma = new PrismaService({ databaseUrl: config.DATABASE_URL, poolSize: 1 });
      try {
        const admin = await new AccountRepository(prisma).create({ email: options.email, name: name.data, passwordHash: await hashPassword(password), role: 'admin' });
        process.stdout.write(`created admin ${admin.email} (${admin.id})\n`);
      } catch (error) {
        if (error instanceof AuthError && error.code === 'email_taken') throw new Error(`an account with the email ${options.email} exists already`);
        throw error;
      } finally {
        await prisma.$disconnect();
      }
    });
}
