// flapc command line: parses arguments (commander) and hands each command to its runtime
// service; every command answers --help without touching the GPU. User errors (UserError,
// located spec diagnostics, bad options) print one message and exit 2; no adapter exits 3.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { IRError } from '../../compiler/index.ts';
import { UserError } from '../errors.ts';
import { GpuError, NoAdapterError, releaseInstance } from '../gpu/device.ts';
import { dataCommand as dataWithLog } from './data-cmd.ts';
import { compileCommand } from './compile-cmd.ts';
import { benchCommand, demoCommand, doctorCommand, tuneCommand } from './tool-cmds.ts';
import {
  type EmbedOpts,
  type EvalOpts,
  type SearchOpts,
  type TrainOpts,
  type WebOpts,
  embedCommand,
  evalCommand,
  reportCommand,
  searchCommand,
  trainCommand,
  webCommand,
} from './run-cmds.ts';

const dataCommand = (args: string[]): Promise<number> =>
  dataWithLog(args, (l) => {
    process.stderr.write(`${l}\n`);
  });

const RUN_SUBCOMMANDS = ['train', 'eval', 'embed', 'search', 'report', 'web', 'bench', 'help'];

/** Repeatable option: `--data a --data b` collects both. */
const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

function example(cmd: Command, ...lines: string[]): Command {
  return cmd.addHelpText('after', `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  $ ${l}`).join('\n')}`);
}

/** The legacy commands parse their own flags: commander shows their help and passes the words through. */
function passThrough(cmd: Command, path: string[], run: (args: string[]) => Promise<number>, result: { code: number }, raw: () => string[]): Command {
  return cmd
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption('-h, --help', 'show this help')
    .action(async () => {
      result.code = await run(raw().slice(path.length));
    });
}

export function buildProgram(argv: string[], result: { code: number }): Command {
  const program = new Command('flapc')
    .description('FLAP as config files: a spec compiled to WGSL kernels, trained, evaluated and searched on any WebGPU adapter')
    .addOption(new Option('--adapter <name>', 'pick a WebGPU adapter by name (or FLAPC_ADAPTER)'))
    .addHelpText('after', "\nEnvironment: FLAPC_DEBUG=1..4 prints IR, kernels, WGSL, per-kernel timings (and Dawn's own messages).\nTry: flapc run --help")
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ outputError: (text, write) => write(`flapc: ${text}`) })
    .exitOverride();
  const words = (): string[] => argv.filter((w, i) => !(w === '--adapter' || argv[i - 1] === '--adapter'));

  example(
    passThrough(
      program
        .command('doctor')
        .description('show the WebGPU adapter, its limits and hints (exit 3 if none)')
        .option('--json')
        .option('--all', "list every Vulkan driver's adapter"),
      ['doctor'],
      doctorCommand,
      result,
      words,
    ),
    'flapc doctor --all',
  );
  example(
    passThrough(
      program.command('demo').description('train a small classifier on the GPU and print held-out accuracy').option('--steps <n>').option('--json'),
      ['demo'],
      demoCommand,
      result,
      words,
    ),
    'flapc demo --steps 100',
  );
  example(
    passThrough(
      program
        .command('compile')
        .argument('<spec>')
        .description('check a spec and compile its training and evaluation steps')
        .option('-o <dir>', 'write manifest, plans and WGSL')
        .option('--emit <what>', 'summary|ir|kernels|wgsl|plan')
        .option('--graph <g>', 'train|eval')
        .option('--target <t>', 'adapter|baseline')
        .option('--json'),
      ['compile'],
      compileCommand,
      result,
      words,
    ),
    'flapc compile models/flap-tiny.yaml --emit summary',
    'flapc compile models/flap.yaml --target baseline -o out/flap',
  );
  example(
    passThrough(
      program
        .command('tune')
        .description('time the matmul variants on this adapter and cache the fastest')
        .option('--if-missing', 'keep a valid cached choice')
        .option('--long-runs', 'on a CPU adapter let medium matmuls use variants that take minutes to compile once (the driver caches them) for faster steps')
        .option('--json'),
      ['tune'],
      tuneCommand,
      result,
      words,
    ),
    'flapc tune --if-missing',
  );

  const data = program.command('data').description('datasets: check, build the offline corpus, augment captions, zero-shot tags');
  example(
    passThrough(
      data
        .command('check')
        .argument('<inputs...>')
        .description('decode and featurise every clip as training would; exit 1 if any item is bad, 2 if none is usable')
        .option('--spec <spec>')
        .option('--json')
        .option('--report <bad.jsonl>')
        .option('--oov-against <manifest>', "report caption words outside this manifest's captions (e.g. the training split); repeatable")
        .option('--workers <n>')
        .option('--no-cache'),
      ['data'],
      dataCommand,
      result,
      words,
    ),
    'flapc data check corpus/small/clotho_captions_train.csv',
  );
  example(
    passThrough(
      data
        .command('build')
        .description('build the offline corpus from Debian packages (resumable)')
        .requiredOption('--out <dir>')
        .option('--size <s>', 'tiny|small|full')
        .option('--seed <n>')
        .option('--jobs <n>')
        .option('--json'),
      ['data'],
      dataCommand,
      result,
      words,
    ),
    'flapc data build --out corpus/small --size small',
  );
  example(
    passThrough(
      data
        .command('split')
        .argument('<corpus>')
        .description('hold out whole source families (packages, instruments, voices): family_{train,val,test}.jsonl for a generalisation test')
        .option('--holdout <share>', 'share of clips to hold out (default 0.12)')
        .option('--seed <n>')
        .option('--json'),
      ['data'],
      dataCommand,
      result,
      words,
    ),
    'flapc data split corpus/small',
  );
  example(
    passThrough(
      data
        .command('augment')
        .argument('<inputs...>')
        .description("rewrite captions with the clips' event tags (offline rules, or an OpenAI-compatible endpoint)")
        .requiredOption('--tags <tags.jsonl>')
        .requiredOption('--out <augmented.jsonl>')
        .option('--seed <n>')
        .option('--llm <url>')
        .option('--model <name>')
        .option('--prompt <file>')
        .option('--concurrency <n>')
        .option('--timeout <ms>')
        .option('--retries <n>'),
      ['data'],
      dataCommand,
      result,
      words,
    ),
    'flapc data augment corpus/small/clotho_captions_train.csv --tags corpus/small/tags.jsonl --out corpus/small/train-augmented.jsonl',
  );
  example(
    passThrough(
      data
        .command('tag')
        .argument('<inputs...>')
        .description('zero-shot event tags from a trained checkpoint')
        .requiredOption('--checkpoint <file>')
        .requiredOption('--spec <spec>')
        .requiredOption('--labels <labels.txt>')
        .requiredOption('--out <tags.jsonl>')
        .option('--top <k>')
        .option('--prompt <text>'),
      ['data'],
      dataCommand,
      result,
      words,
    ),
    'flapc data tag my-clips/ --checkpoint runs/flap-tiny/last.safetensors --spec models/flap-tiny.yaml --labels labels.txt --out tags.jsonl',
  );

  const run = program.command('run').description('train, evaluate, embed, search and report (`flapc run <spec>` = `flapc run train <spec>`)');
  example(
    run
      .command('train')
      .argument('<spec>', 'a spec (.yaml) or a directory written by flapc compile -o')
      .description('train on the GPU; checkpoints, metrics.jsonl and run.json go to --out')
      .option('--data <path>', "training manifest, folder or shard (repeatable; default: the spec's data.train)", collect)
      .option('--val <path>', 'validation manifest (repeatable; default: data.val): keeps best.safetensors by mAP@10', collect)
      .option('--eval <path>', 'evaluate retrieval on this manifest at the end (repeatable; default: data.eval)', collect)
      .option('--out <dir>', 'run folder (default: runs/<spec name>)')
      .option('--steps <n>', "training steps (default: the spec's train.steps)")
      .option('--seed <n>', 'seed for initialisation, data order and masking', '0')
      .option('--save-every <n>', 'write last.safetensors every n steps', '100')
      .option('--val-every <n>', 'validate every n steps', '100')
      .option('--resume', 'continue from <out>/last.safetensors, exactly where it stopped')
      .option('--overwrite', 'start again in an --out folder that already holds a run')
      .option('--init <file>', 'start from these weights (fine-tuning): fresh optimizer and schedule')
      .option('--init-partial', "with --init: tensors missing or of another shape start from the spec's initialisers")
      .option('--save <file>', 'also write the final weights to this file')
      .option('--workers <n>', 'featurisation worker threads')
      .option('--no-cache', 'do not use the feature cache')
      .option('--json', 'JSON lines on stdout instead of the progress line')
      .action(async (spec: string, o: TrainOpts) => {
        result.code = await trainCommand(spec, o, argv);
      }),
    'flapc run train models/flap-tiny.yaml --data corpus/small/train-augmented.jsonl --val corpus/small/clotho_captions_val.csv --steps 400',
    'flapc run train models/flap-tiny.yaml --out runs/flap-tiny --resume',
  );
  example(
    run
      .command('eval')
      .argument('<spec>', 'the spec or compiled directory the checkpoint was trained from')
      .description('audio<->text retrieval (R@1/5/10, mAP@10, ranks) of a checkpoint; optional zero-shot classification')
      .option('--checkpoint <file>', 'a flapc checkpoint (.safetensors); default: the weights shipped beside the spec (models/flap-small.safetensors)')
      .option('--data <path>', "manifest(s) to evaluate (repeatable; default: the spec's data.eval)", collect)
      .option('--zero-shot <labels.csv>', 'file_name,label CSV: accuracy and confusion table with "the sound of {label}"')
      .option('--prompt <text>', 'zero-shot prompt', 'the sound of {label}')
      .option(
        '--long-audio <mode>',
        "clips longer than the model's window: crop (the first window) or chunks (every window, embeddings averaged, as embed and search do); default: the spec's audio.long_audio",
      )
      .option('--workers <n>')
      .option('--json', 'print the metrics as JSON'),
    'flapc run eval models/flap-tiny.yaml --checkpoint runs/flap-tiny/best.safetensors --data corpus/small/clotho_captions_test.csv',
  ).action(async (spec: string, o: EvalOpts) => {
    result.code = await evalCommand(spec, o);
  });
  example(
    run
      .command('embed')
      .argument('<spec>')
      .argument('<inputs...>', 'audio files, folders or manifests')
      .description('embed audio into a LanceDB vector index (re-embedding a file replaces its row)')
      .option('--checkpoint <file>', 'a flapc checkpoint (.safetensors); default: the weights shipped beside the spec (models/flap-small.safetensors)')
      .requiredOption('--index <dir>', 'the index folder (or an s3:// URI)')
      .option('--shard <i/N>', 'embed the i-th of N deterministic slices (default: JOB_COMPLETION_INDEX/JOB_COMPLETION_COUNT)')
      .option('--workers <n>')
      .option('--json'),
    'flapc run embed models/flap-tiny.yaml --checkpoint runs/flap-tiny/best.safetensors ~/sounds --index sounds.lance',
  ).action(async (spec: string, inputs: string[], o: EmbedOpts) => {
    result.code = await embedCommand(spec, inputs, o);
  });
  example(
    run
      .command('search')
      .argument('[query]', 'text to search for')
      .description('search an index by text (or by an audio file) with the model that built it')
      .requiredOption('--index <dir>')
      .option('-k <n>', 'results', '10')
      .option('--audio <file>', 'query by example')
      .option('--where <sql>', 'filter rows (LanceDB SQL, e.g. "duration > 5")')
      .option('--checkpoint <file>', 'the checkpoint, if it moved since embedding')
      .option('--spec <spec>', 'the spec, if it moved since embedding')
      .option('--json'),
    'flapc run search --index sounds.lance "a dog barking" -k 5',
  ).action(async (query: string | undefined, o: SearchOpts) => {
    result.code = await searchCommand(query, o);
  });
  example(
    run.command('report').argument('<dir>', 'a run folder (flapc run train --out)').description('write <dir>/report.html: curves, metrics, similarity heatmap'),
    'flapc run report runs/flap-tiny',
  ).action(async (dir: string) => {
    result.code = await reportCommand(dir);
  });
  example(
    run
      .command('web')
      .argument('<spec>', 'the spec or compiled directory the checkpoint was trained from')
      .description('a static site that embeds and searches audio in the browser on WebGPU (nothing is uploaded)')
      .option('--checkpoint <file>', 'a flapc checkpoint (.safetensors); default: the weights shipped beside the spec (models/flap-small.safetensors)')
      .requiredOption('--out <dir>', 'the site folder')
      .addOption(
        new Option('--weights <dtype>', 'weights as shipped: f32 (exactly the checkpoint) or f16 (half the download)').choices(['f32', 'f16']).default('f32'),
      )
      .option('--serve', 'serve the site on 127.0.0.1 after building it (Ctrl-C stops)')
      .option('--port <n>', 'with --serve', '8080')
      .option('--json'),
    'flapc run web models/flap-tiny.yaml --checkpoint runs/flap-tiny/best.safetensors --out site --serve',
  ).action(async (spec: string, o: WebOpts) => {
    result.code = await webCommand(spec, o);
  });
  example(
    passThrough(
      run
        .command('bench')
        .argument('<what>', 'matmul, or step <spec...>')
        .description('matmul: GFLOP/s of every matmul variant (and tfjs-webgpu); step: median training-step time of each spec, interleaved')
        .option('--sizes <list>', 'matmul sizes')
        .option('--rounds <n>', 'matmul timing rounds')
        .option('--tfjs', 'matmul: also time tfjs-webgpu')
        .option('--steps <n>', 'step: timed steps per spec (default 10)')
        .option('--profile', 'step: GPU time per kernel class, per-dispatch overhead, fraction of roofline')
        .option('--vs <peers>', 'step: the same model in jax-js, tfjs, jax-js-wasm (comma-separated), loss-checked, then timed beside flapc')
        .option('--json'),
      ['run', 'bench'],
      benchCommand,
      result,
      words,
    ),
    'flapc run bench matmul --sizes 256,1024 --tfjs\n  $ flapc run bench step models/flap-tiny.yaml models/clap-tiny.yaml --profile\n  $ flapc run bench step models/flap-tiny.yaml --vs jax-js,tfjs,jax-js-wasm',
  );
  return program;
}

/** `flapc run <spec> ...` is `flapc run train <spec> ...`. */
export function normaliseArgv(argv: string[]): string[] {
  let at = 0;
  while (argv[at] === '--adapter') at += 2;
  if (argv[at] !== 'run') return argv;
  const next = argv[at + 1];
  if (next === undefined || next === '--help' || next === '-h' || RUN_SUBCOMMANDS.includes(next)) return argv;
  return [...argv.slice(0, at + 1), 'train', ...argv.slice(at + 1)];
}

export async function main(argv: string[]): Promise<number> {
  // `flapc ... | head` closes the pipe early: that ends the output, it is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  argv = normaliseArgv(argv);
  const adapterAt = argv.indexOf('--adapter');
  if (adapterAt >= 0) {
    if (!argv[adapterAt + 1]) throw new UserError('--adapter needs a name');
    process.env.FLAPC_ADAPTER = argv[adapterAt + 1];
  }
  const result = { code: 0 };
  const program = buildProgram(argv, result);
  if (argv.length === 0) {
    program.outputHelp();
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return 0;
      return 2; // commander already printed the message and the usage hint
    }
    throw e;
  }
  return result.code;
}

const isUserError = (e: unknown): boolean =>
  e instanceof UserError ||
  e instanceof IRError ||
  (e instanceof GpuError && !(e instanceof NoAdapterError)) ||
  !!(e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      releaseInstance();
      process.exitCode = code;
    },
    (e: unknown) => {
      releaseInstance();
      if (e instanceof NoAdapterError) {
        console.error(`flapc: ${e.message}`);
        process.exitCode = 3;
        return;
      }
      if (isUserError(e)) {
        console.error(`flapc: error: ${(e as Error).message}`);
        process.exitCode = 2;
        return;
      }
      console.error(e); // an internal bug: keep the stack
      process.exitCode = 1;
    },
  );
}
