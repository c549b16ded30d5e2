import { styleText } from "node:util";
import type { CliIo, TextSink } from "./cli.js";

/** What a piece of report text says, which decides its colour. */
export type Tone = "error" | "warning" | "ok" | "note" | "strong" | "dim";

/**
 * Colours text by its tone, or returns it unchanged when colour is off.
 * @param tone - what the text says
 * @param text - the text
 * @returns the text, coloured or not
 */
export type Paint = (tone: Tone, text: string) => string;

const STYLES: Readonly<Record<Tone, Parameters<typeof styleText>[0]>> = {
  error: ["bold", "red"],
  warning: ["bold", "yellow"],
  ok: "green",
  note: "cyan",
  strong: "bold",
  dim: "dim",
};

/**
 * Whether text written to `sink` may carry ANSI colours, decided as Node decides for its own
 * output: `FORCE_COLOR` wins (`0` or `false` turn colour off, anything else on, even when piped);
 * otherwise `NO_COLOR` (non-empty), `NODE_DISABLE_COLORS` or `TERM=dumb` turn it off; otherwise
 * colour is on only when `sink` is a terminal.
 * @param sink - where the text goes
 * @param env - the environment
 * @returns true when colours are wanted
 */
export function colorEnabled(sink: TextSink, env: CliIo["env"]): boolean {
  const force = env["FORCE_COLOR"];
  if (force !== undefined) return force !== "0" && force !== "false";
  if ((env["NO_COLOR"] ?? "") !== "" || env["NODE_DISABLE_COLORS"] !== undefined) return false;
  return env["TERM"] !== "dumb" && sink.isTTY === true;
}

/** A {@link Paint} that never colours. */
export const plain: Paint = (_tone, text) => text;

/**
 * The paint for text written to `sink` (stdout unless said otherwise): Node's `util.styleText`
 * when {@link colorEnabled} says so, else {@link plain}.
 * @param io - the CLI's streams and environment
 * @param sink - where the text goes @defaultValue io.stdout
 * @returns the paint
 */
export function painter(io: CliIo, sink: TextSink = io.stdout): Paint {
  if (!colorEnabled(sink, io.env)) return plain;
  // The decision is ours (it knows the sink): styleText must not second-guess it from stdout.
  return (tone, text) => styleText(STYLES[tone], text, { validateStream: false });
}
