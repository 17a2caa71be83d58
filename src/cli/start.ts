/**
 * `npm start`: open notebooks/ in JupyterLab when it is installed, else in the classic Jupyter
 * Notebook, with the project's own tslab kernelspec (.jupyter/, through JUPYTER_PATH: nothing
 * global is registered). With neither installed, print the command that installs one and exit 1.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

export interface Launch {
  /** The program to run, or null when no Jupyter front end is installed. */
  command: string | null;
  args: string[];
  which: 'jupyterlab' | 'notebook' | 'none';
}

function onPath(cmd: string, envPath: string): string | null {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/** Which front end to launch, given PATH (exported for tests). */
export function chooseFrontEnd(envPath: string, extra: string[] = []): Launch {
  const notebookDir = path.join(ROOT, 'notebooks');
  const lab = onPath('jupyter-lab', envPath);
  if (lab) return { command: lab, args: [`--notebook-dir=${notebookDir}`, ...extra], which: 'jupyterlab' };
  const nb = onPath('jupyter-notebook', envPath);
  if (nb) return { command: nb, args: [`--notebook-dir=${notebookDir}`, ...extra], which: 'notebook' };
  return { command: null, args: [], which: 'none' };
}

/** The environment Jupyter needs to find the project's kernelspec. */
export function jupyterEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const own = path.join(ROOT, '.jupyter');
  return { ...base, JUPYTER_PATH: [own, base.JUPYTER_PATH].filter(Boolean).join(path.delimiter) };
}

/**
 * Where a project-local JupyterLab lives (`python3 -m venv .venv-jupyter && .venv-jupyter/bin/pip
 * install jupyterlab`); DIGITLAB_JUPYTER_BIN points elsewhere (tests use it to hide the real one).
 */
export function localJupyterBin(env: NodeJS.ProcessEnv = process.env): string {
  return env.DIGITLAB_JUPYTER_BIN ?? path.join(ROOT, '.venv-jupyter', 'bin');
}

export const INSTALL_HINT =
  'No Jupyter front end found. Install one, then run `npm start` again:\n' +
  '  sudo apt-get install jupyter-notebook        # Debian/Ubuntu: the classic Notebook\n' +
  '  python3 -m venv .venv-jupyter && .venv-jupyter/bin/pip install jupyterlab   # JupyterLab, for this project only\n' +
  '  pip install jupyterlab                       # elsewhere (or: conda install -c conda-forge jupyterlab)';

function main(): void {
  const spec = path.join(ROOT, '.jupyter', 'kernels', 'tslab', 'kernel.json');
  if (!fs.existsSync(spec)) {
    console.error(`digitlab: ${spec} is missing; run \`npm install\` first (its postinstall writes it).`);
    process.exit(1);
  }
  // Jupyter refuses to run as root without --allow-root (containers, CI machines).
  const extra = process.argv.slice(2);
  if (process.getuid?.() === 0 && !extra.includes('--allow-root')) extra.push('--allow-root');
  const launch = chooseFrontEnd([localJupyterBin(), process.env.PATH ?? ''].join(path.delimiter), extra);
  if (!launch.command) {
    console.error(INSTALL_HINT);
    process.exit(1);
  }
  console.log(`digitlab: starting ${launch.which === 'jupyterlab' ? 'JupyterLab' : 'the classic Jupyter Notebook (JupyterLab is not installed)'} with the TypeScript kernel from ${path.dirname(spec)}`);
  const child = spawn(launch.command, launch.args, { stdio: 'inherit', env: jupyterEnv(), cwd: ROOT });
  const stop = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (require.main === module) main();
if (require.main === module) main();
