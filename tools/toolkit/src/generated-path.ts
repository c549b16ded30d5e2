import type { SkipReason } from "./skipped-file.js";

/** Names that only build tools and generators give files. */
const GENERATED_NAME =
  /(\.min\.[mc]?js|-min\.js|\.d\.[mc]?ts|\.generated\.[mc]?[jt]sx?|\.gen\.[mc]?[jt]sx?|\.bundle\.[mc]?js|_pb\.[mc]?[jt]s|\.pb\.[mc]?[jt]s)$/;

/** Folders that hold other projects' code by convention. */
const VENDOR_FOLDER =
  /(^|\/)(vendor|vendors|third_party|third-party|thirdparty|bower_components|jspm_packages|web_modules)\//;

/** Libraries so widely copied into repositories that their file names say "vendored". */
const LIBRARY_FILE =
  /^(jquery|jquery-ui|jquery\.[\w-]+|underscore|lodash|backbone|modernizr|prettify|zepto|handlebars|mustache|knockout|html5shiv|es5-shim|es6-shim|json2|sizzle|mootools|swfobject|raphael|highlight\.pack)([-.]v?\d+(\.\d+)*)?(\.(min|slim|pack|custom))*\.[mc]?js$/i;

/** A JavaScript file whose name carries a release number, e.g. `underscore-1.3.1.js`. */
const VERSIONED_FILE = /^[a-z][\w.]*?[-.]v?\d+\.\d+\.\d+([-.][\w]+)*\.[mc]?js$/i;

/**
 * Recognises generated and vendored files by their path alone (no read): generator file names
 * (`.min.js`, `.d.ts`, `.generated.ts`, `_pb.js`, …), vendor folders (`vendor/`, `third_party/`,
 * `bower_components/`, …) and well-known library files (`jquery.js`, `underscore-1.3.1.js`,
 * `modernizr.min.js`, any `name-1.2.3.js`).
 * @param relativePath - `/`-separated path
 * @returns the reason, or undefined for a file that may be hand-written
 */
export function generatedPathReason(relativePath: string): SkipReason | undefined {
  const name = relativePath.slice(relativePath.lastIndexOf("/") + 1);
  const generated = GENERATED_NAME.exec(name);
  if (generated !== null) {
    const ending = generated[1] as string;
    return {
      code: "generated",
      reason: /^\.d\./.test(ending)
        ? `type declarations (${ending})`
        : `generated file name (${ending})`,
    };
  }
  const folder = VENDOR_FOLDER.exec(relativePath);
  if (folder !== null) return { code: "vendored", reason: `vendored (in a ${folder[2]}/ folder)` };
  if (LIBRARY_FILE.test(name))
    return { code: "vendored", reason: `vendored library file (${name})` };
  if (VERSIONED_FILE.test(name))
    return { code: "vendored", reason: `vendored library file (versioned name ${name})` };
  return undefined;
}
