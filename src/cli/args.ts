import { type ParseArgsConfig, parseArgs } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Command-line arguments for every CLI of the project, with the same manners: `--help` (or `-h`)
 * prints the usage and exits 0; an unknown flag, a missing value or a stray argument prints one
 * line naming it and exits 2.
 */
export function parseCli<O extends Options>(
  usage: string,
  options: O,
  argv: string[] = process.argv.slice(2),
  { positionals = false }: { positionals?: boolean } = {},
) {
  // npm run x -- args: a leading "--" reaches the script on some npm versions.
  const args = argv[0] === "--" ? argv.slice(1) : argv;
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage);
    process.exit(0);
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: positionals });
  } catch (e) {
    const message = (e as Error).message.split("\n")[0]?.replace(/\. To specify a positional.*$/, "");
    console.error(`${message} (--help shows the usage)`);
    process.exit(2);
  }
}
