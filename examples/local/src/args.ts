/** The demo's options, from the command line. */
export interface DemoArgs {
  readonly applications: number;
  readonly jobs: number;
  readonly mode: 'both' | 'lambda' | 'consumer';
  readonly writeMode: 'single' | 'batched';
  readonly help: boolean;
}

export const HELP = `npx -y pnpm@10 demo -- [options]

Starts DynamoDB Local and the SQS emulator, provisions what the SAM template does (the
applications table, a queue with a dead-letter queue and maxReceiveCount 5), seeds a job
board, closes some jobs by queueing one decline per application plus a few poison messages,
processes the queue, prints a summary and checks the table against what was seeded.

Options:
  --applications N    applications on the board (default 5000)
  --jobs N            jobs on the board (default 300)
  --mode M            both (half Lambda adapter, half container consumer), lambda or consumer (default both)
  --write-mode W      single (UpdateItem) or batched (PartiQL BatchExecuteStatement) (default batched)
  --help              this text

Exits 0 when every targeted pending application is declined, nothing else changed and every
poison message is in the dead-letter queue; 1 otherwise, saying what is wrong.
`;

export function parseArgs(argv: readonly string[]): DemoArgs {
  const args = { applications: 5000, jobs: 300, mode: 'both', writeMode: 'batched', help: false } as {
    -readonly [K in keyof DemoArgs]: DemoArgs[K];
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i]!;
    const [name, inline] = flag.split('=', 2) as [string, string | undefined];
    const value = () => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new Error(`${name} needs a value`);
      return next;
    };
    const count = (min: number, max: number) => {
      const raw = value();
      const parsed = Number(raw);
      if (!Number.isInteger(parsed) || parsed < min || parsed > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${raw}`);
      return parsed;
    };
    switch (name) {
      case '--':
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      case '--applications':
        args.applications = count(10, 200_000);
        break;
      case '--jobs':
        args.jobs = count(1, 100_000);
        break;
      case '--mode': {
        const mode = value();
        if (mode !== 'both' && mode !== 'lambda' && mode !== 'consumer') throw new Error(`--mode must be both, lambda or consumer, got ${mode}`);
        args.mode = mode;
        break;
      }
      case '--write-mode': {
        const mode = value();
        if (mode !== 'single' && mode !== 'batched') throw new Error(`--write-mode must be single or batched, got ${mode}`);
        args.writeMode = mode;
        break;
      }
      default:
        throw new Error(`unknown option ${flag} (see --help)`);
    }
  }
  if (args.jobs > args.applications) throw new Error('--jobs must not exceed --applications');
  return args;
}
