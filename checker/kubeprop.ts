// The kubeprop executable: `tsx checker/kubeprop.ts <command>`, or `npm run kubeprop -- <command>`.
import { main } from './cli.ts';

process.exitCode = await main(process.argv.slice(2));
