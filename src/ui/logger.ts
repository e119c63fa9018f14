import * as vscode from 'vscode';

/** The one output channel of the extension. Lines carry their component as a `[tag]` prefix. */
export const LOG_CHANNEL_NAME = 'Bucket Integrity';

export function createLogChannel(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
}

/** A view of the channel for one component: every line is prefixed with `[component]`. */
export interface Logger {
  readonly channel: vscode.LogOutputChannel;
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
  /** Bring the channel to front (e.g. from a "Show Log" button). */
  show(): void;
}

export function componentLogger(channel: vscode.LogOutputChannel, component: string): Logger {
  const tag = `[${component}] `;
  return {
    channel,
    trace: (m) => channel.trace(tag + m),
    debug: (m) => channel.debug(tag + m),
    info: (m) => channel.info(tag + m),
    warn: (m) => channel.warn(tag + m),
    error: (m) => channel.error(tag + (m instanceof Error ? m.message : m)),
    show: () => channel.show(true),
  };
}
