// junction.js — the browser and Node client for Junction's WebSocket protocol (docs/PROTOCOL.md, v1).
// Dependency-free ES module. Served by Junction at /junction.js.
//
//   import { Junction } from "/junction.js";
//   const j = new Junction("wss://example.com/ws", { token });
//   j.subscribe("team:7", (event, frame) => console.log(event.type, event.data));
//   const id = await j.publish("team:7", "said", { text: "hi" });
//
// It reconnects by itself (exponential backoff with jitter; at once after 1012 "service restart"),
// resumes every subscription with `since` so no event is missed or seen twice, sends heartbeats,
// and reports what it cannot fix (history no longer reaching back, refused frames) to onError.

export class Junction {
  /**
   * @param {string | (() => string)} url the /ws URL, or a function giving one per connection attempt
   * @param {object} [options]
   * @param {string | (() => string)} [options.token] sent as ?token=… (browsers cannot set headers on
   *   WebSockets); a function is called per connection attempt, so a reconnect uses a fresh token
   * @param {number} [options.minDelay=250] first reconnect delay, ms; doubles per failed attempt
   * @param {number} [options.maxDelay=10000] longest reconnect delay, ms
   * @param {number} [options.timeout=10000] how long a request (subscribe, publish, ping) may take, ms
   * @param {(error: {code: string, message: string, channel?: string}) => void} [options.onError]
   * @param {(state: string, info?: object) => void} [options.onState] "connecting" | "open" | "closed"
   * @param {typeof WebSocket} [options.WebSocket] an implementation, where there is no global one
   */
  constructor(url, options = {}) {
    this.url = url;
    this.options = { minDelay: 250, maxDelay: 10000, timeout: 10000, ...options };
    this.WebSocketImpl = options.WebSocket ?? globalThis.WebSocket;
    this.channels = new Map(); // channel → { handlers: Set, offset, epoch, seq }
    this.pending = new Map(); // request id → { resolve, reject, timer }
    this.nextId = 1;
    this.attempt = 0;
    this.state = "closed";
    this.closedByUser = false;
    this.session = null;
    this.node = null;
    this.connect();
  }

  connect() {
    this.closedByUser = false;
    this.#setState("connecting");
    const base = typeof this.url === "function" ? this.url() : this.url;
    const token = typeof this.options.token === "function" ? this.options.token() : this.options.token;
    const url = token ? `${base}${base.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}` : base;
    const ws = new this.WebSocketImpl(url);
    this.ws = ws;
    ws.onmessage = (m) => this.#onFrame(m.data);
    ws.onclose = (e) => this.#onClose(ws, e.code, e.reason);
    ws.onerror = () => {}; // a close always follows; it decides what happens next
  }

  /**
   * Subscribes to a channel. `onEvent(event, frame)` gets each event's CloudEvents envelope, in
   * channel order, once. Resolves with the `subscribed` frame. Calling it again for the same channel
   * adds a handler.
   */
  subscribe(channel, onEvent) {
    let sub = this.channels.get(channel);
    const first = !sub;
    if (first) {
      sub = { handlers: new Set(), offset: null, epoch: null, seq: 0, ready: null };
      this.channels.set(channel, sub);
    }
    if (onEvent) sub.handlers.add(onEvent);
    if (first || !sub.ready) sub.ready = this.state === "open" ? this.#subscribe(channel, sub) : null;
    return sub.ready ?? new Promise((resolve) => (sub.onReady = resolve));
  }

  /** Stops the channel's events (all its handlers). */
  async unsubscribe(channel) {
    if (!this.channels.delete(channel)) return;
    if (this.state === "open") await this.#request({ op: "unsubscribe", channel });
  }

  /** Publishes over the socket; resolves with the event id once Junction acknowledged it. */
  async publish(channel, type, data) {
    const ack = await this.#request({ op: "publish", channel, type, data });
    return ack.event;
  }

  /** Closes for good: no reconnect. */
  close() {
    this.closedByUser = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeat);
    this.ws?.close(1000, "bye");
    this.#setState("closed");
  }

  #subscribe(channel, sub) {
    const frame = { op: "subscribe", channel };
    if (sub.offset) frame.since = sub.offset;
    return this.#request(frame).then((reply) => {
      if (frame.since && reply.recovered === false) {
        this.#error({ code: "not_recovered", channel, message: `history no longer reaches back to ${frame.since}: events may be missing; reload the state of ${channel}` });
      }
      if (!sub.offset || reply.recovered === false) sub.offset = reply.offset;
      sub.onReady?.(reply);
      return reply;
    });
  }

  #request(frame) {
    return new Promise((resolve, reject) => {
      if (this.state !== "open") return reject(new Error("not connected"));
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to ${frame.op} within ${this.options.timeout} ms`));
      }, this.options.timeout);
      this.pending.set(id, { resolve, reject, timer });
      this.ws.send(JSON.stringify({ ...frame, id }));
    });
  }

  #onFrame(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return this.#error({ code: "bad_frame", message: "the server sent a frame that is not JSON" });
    }
    switch (frame.op) {
      case "welcome":
        this.session = frame.session;
        this.node = frame.node;
        this.attempt = 0;
        this.#setState("open", { session: frame.session, node: frame.node });
        clearInterval(this.heartbeat);
        this.heartbeat = setInterval(() => this.#request({ op: "ping" }).catch(() => {}), frame.heartbeat || 25000);
        for (const [channel, sub] of this.channels) sub.ready = this.#subscribe(channel, sub).catch((e) => this.#error({ code: "subscribe_failed", channel, message: e.message }));
        return;
      case "event":
        return this.#onEvent(frame);
      case "error": {
        const waiting = this.pending.get(frame.id);
        if (waiting) {
          this.pending.delete(frame.id);
          clearTimeout(waiting.timer);
          const error = new Error(frame.message);
          error.code = frame.code;
          return waiting.reject(error);
        }
        return this.#error({ code: frame.code, message: frame.message });
      }
      default: {
        const waiting = this.pending.get(frame.id);
        if (waiting) {
          this.pending.delete(frame.id);
          clearTimeout(waiting.timer);
          waiting.resolve(frame);
        }
      }
    }
  }

  #onEvent(frame) {
    const sub = this.channels.get(frame.channel);
    if (!sub) return;
    const epoch = frame.offset.slice(0, frame.offset.lastIndexOf(":"));
    if (epoch === sub.epoch && frame.seq <= sub.seq) return; // already seen (a resume overlaps live)
    if (epoch === sub.epoch && frame.seq > sub.seq + 1 && sub.seq > 0) {
      this.#error({ code: "gap", channel: frame.channel, message: `events ${sub.seq + 1}..${frame.seq - 1} of ${frame.channel} are missing` });
    }
    sub.epoch = epoch;
    sub.seq = frame.seq;
    sub.offset = frame.offset;
    for (const handler of sub.handlers) {
      try {
        handler(frame.event, frame);
      } catch (e) {
        this.#error({ code: "handler", channel: frame.channel, message: String(e) });
      }
    }
  }

  #onClose(ws, code, reason) {
    if (ws !== this.ws) return;
    clearInterval(this.heartbeat);
    for (const [, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new Error(`connection closed (${code})`));
    }
    this.pending.clear();
    for (const sub of this.channels.values()) sub.ready = null;
    if (this.closedByUser) return this.#setState("closed", { code, reason });
    if (code === 1008) {
      this.#setState("closed", { code, reason });
      return this.#error({ code: "unauthorized", message: `refused by the server: ${reason || "policy"}` });
    }
    // 1012: this pod is going away and others are up; come back at once, with a little jitter.
    const base = code === 1012 ? 50 : Math.min(this.options.maxDelay, this.options.minDelay * 2 ** this.attempt);
    const delay = base / 2 + Math.random() * (base / 2);
    this.attempt++;
    this.#setState("connecting", { code, reason, retryIn: Math.round(delay) });
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  #setState(state, info) {
    this.state = state;
    this.options.onState?.(state, info);
  }

  #error(error) {
    if (this.options.onError) this.options.onError(error);
  }
}
