/**
 * The Jupyter messaging wire format (protocol 5.3): a message is a list of ZeroMQ frames
 *   [routing identities…, "<IDS|MSG>", hmac, header, parent_header, metadata, content, buffers…]
 * with hmac = HMAC-SHA256(key) over the four JSON frames, hex encoded.
 * https://jupyter-client.readthedocs.io/en/latest/messaging.html#the-wire-protocol
 *
 * Written here rather than taken from @jupyterlab/services: that package talks to a Jupyter
 * *server* over websockets, while the runner talks to the kernel's ZeroMQ sockets directly.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'crypto';

export const DELIMITER = Buffer.from('<IDS|MSG>');
export const PROTOCOL_VERSION = '5.3';

export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

/** A decoded Jupyter message; `content` is left as plain JSON for the caller to narrow. */
export interface JupyterMessage {
  identities: Buffer[];
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  buffers: Buffer[];
}

/** hex HMAC-SHA256 of the frames; an empty key means "unsigned" (the spec's signature ""). */
export function sign(key: string, frames: readonly (string | Buffer)[]): string {
  if (key === '') return '';
  const h = createHmac('sha256', key);
  for (const f of frames) h.update(f);
  return h.digest('hex');
}

/** A new request from this client. */
export function newMessage(
  msgType: string,
  content: Record<string, unknown>,
  session: string,
): JupyterMessage {
  return {
    identities: [],
    header: {
      msg_id: randomUUID(),
      msg_type: msgType,
      session,
      username: 'digitlab',
      date: new Date().toISOString(),
      version: PROTOCOL_VERSION,
    },
    parent_header: {},
    metadata: {},
    content,
    buffers: [],
  };
}

/** Frames to send for `msg`, signed with `key`. */
export function encode(key: string, msg: JupyterMessage): Buffer[] {
  const body = [msg.header, msg.parent_header, msg.metadata, msg.content].map((j) =>
    Buffer.from(JSON.stringify(j)),
  );
  return [...msg.identities, DELIMITER, Buffer.from(sign(key, body)), ...body, ...msg.buffers];
}

function parseFrame(frame: Buffer | undefined, what: string): Record<string, unknown> {
  if (frame === undefined) throw new Error(`Jupyter message: missing ${what} frame`);
  const v: unknown = JSON.parse(frame.toString('utf8'));
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new Error(`Jupyter message: ${what} must be a JSON object`);
  }
  return v as Record<string, unknown>;
}

/** Decode received frames; throws if the delimiter is missing or the signature is wrong. */
export function decode(key: string, frames: readonly Buffer[]): JupyterMessage {
  const at = frames.findIndex((f) => f.equals(DELIMITER));
  if (at < 0) throw new Error('Jupyter message: no <IDS|MSG> delimiter');
  const signature = frames[at + 1]?.toString('ascii') ?? '';
  const body = frames.slice(at + 2, at + 6);
  if (body.length < 4) throw new Error(`Jupyter message: expected 4 JSON frames, got ${body.length}`);
  const expected = sign(key, body);
  // Constant-time comparison, as jupyter_client does.
  const ok =
    expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
  if (!ok) throw new Error('Jupyter message: invalid HMAC signature');
  const header = parseFrame(body[0], 'header') as unknown as MessageHeader;
  if (typeof header.msg_type !== 'string') throw new Error('Jupyter message: header.msg_type missing');
  return {
    identities: frames.slice(0, at),
    header,
    parent_header: parseFrame(body[1], 'parent_header') as Partial<MessageHeader>,
    metadata: parseFrame(body[2], 'metadata'),
    content: parseFrame(body[3], 'content'),
    buffers: frames.slice(at + 6),
  };
}
