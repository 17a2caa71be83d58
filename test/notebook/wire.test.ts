/** The Jupyter wire format: signing, framing and rejection of forged messages. */
import { createHmac } from 'crypto';
import { describe, expect, it } from 'vitest';
import { decode, DELIMITER, encode, newMessage, sign } from '../../src/notebook/wire';

describe('wire', () => {
  const key = 'a-secret-key';

  it('signs the four JSON frames with HMAC-SHA256 as the spec says', () => {
    const frames = ['{"a":1}', '{}', '{}', '{"code":"1"}'];
    const want = createHmac('sha256', key).update(frames.join('')).digest('hex');
    expect(sign(key, frames)).toBe(want);
    expect(sign('', frames)).toBe(''); // empty key: unsigned
  });

  it('round-trips a message through encode/decode, keeping identities and buffers', () => {
    const msg = newMessage('execute_request', { code: 'console.log(1)' }, 'session-1');
    msg.identities = [Buffer.from('peer')];
    msg.buffers = [Buffer.from([1, 2, 3])];
    const frames = encode(key, msg);
    expect(frames[1].equals(DELIMITER)).toBe(true);
    const back = decode(key, frames);
    expect(back.header).toEqual(msg.header);
    expect(back.content).toEqual({ code: 'console.log(1)' });
    expect(back.identities.map(String)).toEqual(['peer']);
    expect([...back.buffers[0]]).toEqual([1, 2, 3]);
    expect(back.header.version).toBe('5.3');
  });

  it('rejects a tampered message, a wrong key and a missing delimiter', () => {
    const frames = encode(key, newMessage('status', { execution_state: 'idle' }, 's'));
    const tampered = [...frames];
    tampered[5] = Buffer.from('{"execution_state":"busy"}');
    expect(() => decode(key, tampered)).toThrow(/invalid HMAC signature/);
    expect(() => decode('other-key', frames)).toThrow(/invalid HMAC signature/);
    expect(() => decode(key, frames.slice(2))).toThrow(/no <IDS\|MSG> delimiter/);
  });
});
