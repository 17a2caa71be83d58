/** IOPub messages → nbformat outputs, as Jupyter's clients build them. */
import type { IOutput } from '@jupyterlab/nbformat';
import { describe, expect, it } from 'vitest';
import { finalizeOutputs, OutputCollector, toLines } from '../../src/notebook/outputs';
import { newMessage } from '../../src/notebook/wire';

const msg = (type: string, content: Record<string, unknown>) => newMessage(type, content, 's');

describe('OutputCollector', () => {
  it('joins consecutive chunks of one stream and keeps stdout/stderr apart', () => {
    const outs: IOutput[] = [];
    const sink = new OutputCollector().cell(outs);
    sink(msg('stream', { name: 'stdout', text: 'a\nb' }));
    sink(msg('stream', { name: 'stdout', text: 'c\n' }));
    sink(msg('stream', { name: 'stderr', text: 'oops\n' }));
    sink(msg('stream', { name: 'stdout', text: 'd\n' }));
    sink(msg('status', { execution_state: 'idle' })); // not an output
    expect(finalizeOutputs(outs)).toEqual([
      { output_type: 'stream', name: 'stdout', text: ['a\n', 'bc\n'] },
      { output_type: 'stream', name: 'stderr', text: ['oops\n'] },
      { output_type: 'stream', name: 'stdout', text: ['d\n'] },
    ]);
  });

  it('replaces a display in an earlier cell on update_display_data with its display_id', () => {
    const c = new OutputCollector();
    const first: IOutput[] = [];
    const second: IOutput[] = [];
    c.cell(first)(msg('display_data', { data: { 'text/plain': 'step 0' }, metadata: {}, transient: { display_id: 'd1' } }));
    c.cell(first)(msg('display_data', { data: { 'text/plain': 'other' }, metadata: {}, transient: {} }));
    c.cell(second)(msg('update_display_data', { data: { 'text/plain': 'step 9' }, metadata: { x: 1 }, transient: { display_id: 'd1' } }));
    c.cell(second)(msg('update_display_data', { data: { 'text/plain': 'lost' }, metadata: {}, transient: { display_id: 'never-shown' } }));
    expect(first).toEqual([
      { output_type: 'display_data', data: { 'text/plain': 'step 9' }, metadata: { x: 1 } },
      { output_type: 'display_data', data: { 'text/plain': 'other' }, metadata: {} },
    ]);
    expect(second).toEqual([]); // updates add no output of their own
    expect(JSON.stringify(first)).not.toContain('transient');
  });

  it('records execute_result with its count, errors, and clear_output (now or on the next output)', () => {
    const outs: IOutput[] = [];
    const sink = new OutputCollector().cell(outs);
    sink(msg('stream', { name: 'stdout', text: 'x\n' }));
    sink(msg('clear_output', { wait: false }));
    expect(outs).toEqual([]);
    sink(msg('execute_result', { execution_count: 7, data: { 'text/plain': '42' }, metadata: {} }));
    sink(msg('clear_output', { wait: true }));
    expect(outs).toHaveLength(1); // waits for the next output
    sink(msg('error', { ename: 'TypeError', evalue: 'bad', traceback: ['line 1'] }));
    expect(outs).toEqual([{ output_type: 'error', ename: 'TypeError', evalue: 'bad', traceback: ['line 1'] }]);
  });

  it('stores text MIME data as lines and leaves JSON and base64 data alone', () => {
    const out = finalizeOutputs([
      { output_type: 'display_data', metadata: {}, data: { 'text/plain': 'a\nb', 'application/x+json': { k: 1 }, 'image/png': 'iVBOR' } },
    ]);
    expect(out[0].data).toEqual({ 'text/plain': ['a\n', 'b'], 'application/x+json': { k: 1 }, 'image/png': 'iVBOR' });
  });

  it('splits text into lines that keep their newline', () => {
    expect(toLines('a\nb\n')).toEqual(['a\n', 'b\n']);
    expect(toLines('a\n\nb')).toEqual(['a\n', '\n', 'b']);
    expect(toLines('')).toEqual([]);
  });
});
