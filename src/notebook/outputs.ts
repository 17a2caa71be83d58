/**
 * Turns IOPub messages into nbformat outputs, the way Jupyter's own clients do:
 * - consecutive stream messages of one stream are joined into one output;
 * - display_data / execute_result with `transient.display_id` are remembered, and a later
 *   update_display_data with that id replaces their data in place (in whichever cell they are);
 * - clear_output (optionally `wait`ing for the next output) empties the cell's outputs.
 * `transient` itself is never stored: it is not part of the notebook format.
 */
import type {
  IDisplayData,
  IError,
  IExecuteResult,
  IMimeBundle,
  IOutput,
  IStream,
  OutputMetadata,
} from '@jupyterlab/nbformat';
import type { JupyterMessage } from './wire';

type Displayable = IDisplayData | IExecuteResult;

function bundle(v: unknown): IMimeBundle {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? ({ ...v } as IMimeBundle) : {};
}

function outputMetadata(v: unknown): OutputMetadata {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? ({ ...v } as OutputMetadata) : {};
}

function displayId(content: Record<string, unknown>): string | undefined {
  const t = content.transient;
  if (t === null || typeof t !== 'object') return undefined;
  const id = (t as Record<string, unknown>).display_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** One collector per notebook: display ids are shared by all its cells. */
export class OutputCollector {
  private readonly displays = new Map<string, Displayable[]>();

  /** A sink for one cell's messages; outputs are appended to `outputs` (mutated in place). */
  cell(outputs: IOutput[]): (msg: JupyterMessage) => void {
    let clearOnNext = false;
    const add = (o: IOutput): void => {
      if (clearOnNext) {
        outputs.length = 0;
        clearOnNext = false;
      }
      outputs.push(o);
    };
    return (msg) => {
      const c = msg.content;
      switch (msg.header.msg_type) {
        case 'stream': {
          const name = c.name === 'stderr' ? 'stderr' : 'stdout';
          const text = typeof c.text === 'string' ? c.text : '';
          const last = outputs[outputs.length - 1] as IOutput | undefined;
          if (!clearOnNext && last?.output_type === 'stream' && (last as IStream).name === name) {
            (last as IStream).text = String((last as IStream).text) + text;
          } else {
            add({ output_type: 'stream', name, text } satisfies IStream);
          }
          break;
        }
        case 'display_data':
        case 'execute_result': {
          const out: Displayable =
            msg.header.msg_type === 'display_data'
              ? { output_type: 'display_data', data: bundle(c.data), metadata: outputMetadata(c.metadata) }
              : {
                  output_type: 'execute_result',
                  execution_count: typeof c.execution_count === 'number' ? c.execution_count : null,
                  data: bundle(c.data),
                  metadata: outputMetadata(c.metadata),
                };
          add(out);
          const id = displayId(c);
          if (id) this.displays.set(id, [...(this.displays.get(id) ?? []), out]);
          break;
        }
        case 'update_display_data': {
          // An update for an id never displayed is ignored, as in JupyterLab and nbclient.
          const id = displayId(c);
          for (const out of (id && this.displays.get(id)) || []) {
            out.data = bundle(c.data);
            out.metadata = outputMetadata(c.metadata);
          }
          break;
        }
        case 'error':
          add({
            output_type: 'error',
            ename: String(c.ename ?? 'Error'),
            evalue: String(c.evalue ?? ''),
            traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
          } satisfies IError);
          break;
        case 'clear_output':
          if (c.wait === true) clearOnNext = true;
          else outputs.length = 0;
          break;
        default:
          // execute_input, comm messages, …: not outputs.
          break;
      }
    };
  }
}

/** Split text into lines that keep their "\n", the layout Jupyter writes (readable diffs). */
export function toLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Text MIME values are stored as lists of lines, as Python's nbformat writes them. */
function splitBundle(data: IMimeBundle): IMimeBundle {
  const out: IMimeBundle = {};
  for (const [mime, v] of Object.entries(data)) {
    const text = mime.startsWith('text/') || mime === 'image/svg+xml' || mime === 'application/javascript';
    out[mime] = text && typeof v === 'string' ? toLines(v) : (v as IMimeBundle[string]);
  }
  return out;
}

/** Outputs in their on-disk form: stream text and text MIME data as lists of lines. */
export function finalizeOutputs(outputs: readonly IOutput[]): IOutput[] {
  return outputs.map((o) => {
    if (o.output_type === 'stream') return { ...o, text: toLines(String((o as IStream).text)) };
    if (o.output_type === 'display_data' || o.output_type === 'execute_result') {
      return { ...o, data: splitBundle((o as Displayable).data) };
    }
    return { ...o };
  });
}
