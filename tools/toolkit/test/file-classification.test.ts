import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PerflayerConfigError } from "@perflayer/core";
import { describeTooLarge, inspectSource, walkFiles } from "@perflayer/toolkit";
import { tree } from "./fixture-tree.ts";

const CODE = "export function add(a: number, b: number) {\n  return a + b;\n}\n";
const MINIFIED = `!function(){${"var a=1,b=2;function c(d){return d*a+b}".repeat(40)}}();\n`;

describe("walkFiles: generated and vendored code by path", () => {
  const root = tree({
    "src/app.ts": CODE,
    "src/types.d.ts": CODE,
    "src/client.generated.ts": CODE,
    "src/proto/user_pb.js": CODE,
    "static/app.min.js": CODE,
    "src/vendor/chart.js": CODE,
    "third_party/lib/index.js": CODE,
    "assets/jquery.js": CODE,
    "assets/underscore-1.3.1.js": CODE,
    "assets/widget-2.10.4.js": CODE,
    "assets/bootstrap.js": CODE, // an app's own bootstrap file: not a library by name alone
    ".gitattributes":
      "legacy/** linguist-vendored\nsrc/schema.ts linguist-generated=true\n*.snap.ts linguist-generated\nsrc/keep.snap.ts -linguist-generated\n",
    "legacy/old.js": CODE,
    "src/schema.ts": CODE,
    "src/a.snap.ts": CODE,
    "src/keep.snap.ts": CODE,
    "docs/v4/index.html": "<html></html>",
    "docs/v4/searchindex.js": CODE,
    "docs/v4/_static/doctools.js": CODE,
    "docs/api/index.html": '<meta name="generator" content="TypeDoc 0.25">',
    "docs/api/assets/main.js": CODE,
    "docs/api/assets/search.js": CODE,
    "docs/site/index.html": "<html>hand-made</html>",
    "docs/site/demo.js": CODE,
    "docs/examples/usage.ts": CODE,
    "web/index.html": "<html>the app</html>",
    "web/main.ts": CODE,
  });
  const result = walkFiles({ root });
  const reasons = new Map(result.skipped.map((s) => [s.relativePath, `${s.code}: ${s.reason}`]));

  it("keeps hand-written files, including an app's own index.html folder and docs examples", () => {
    expect(result.files.map((f) => f.relativePath)).toEqual([
      "assets/bootstrap.js",
      "docs/examples/usage.ts",
      "src/app.ts",
      "src/keep.snap.ts",
      "web/main.ts",
    ]);
  });

  it("names each generated file's rule", () => {
    expect(reasons.get("src/types.d.ts")).toBe("generated: type declarations (.d.ts)");
    expect(reasons.get("src/client.generated.ts")).toBe(
      "generated: generated file name (.generated.ts)",
    );
    expect(reasons.get("src/proto/user_pb.js")).toBe("generated: generated file name (_pb.js)");
    expect(reasons.get("static/app.min.js")).toBe("generated: generated file name (.min.js)");
  });

  it("names each vendored file's rule", () => {
    expect(reasons.get("src/vendor/chart.js")).toBe("vendored: vendored (in a vendor/ folder)");
    expect(reasons.get("third_party/lib/index.js")).toBe(
      "vendored: vendored (in a third_party/ folder)",
    );
    expect(reasons.get("assets/jquery.js")).toBe("vendored: vendored library file (jquery.js)");
    expect(reasons.get("assets/underscore-1.3.1.js")).toBe(
      "vendored: vendored library file (underscore-1.3.1.js)",
    );
    expect(reasons.get("assets/widget-2.10.4.js")).toBe(
      "vendored: vendored library file (versioned name widget-2.10.4.js)",
    );
  });

  it("follows .gitattributes linguist marks, the later line winning", () => {
    expect(reasons.get("legacy/old.js")).toBe(
      "vendored: marked vendored (.gitattributes: legacy/** linguist-vendored)",
    );
    expect(reasons.get("src/schema.ts")).toBe(
      "generated: marked generated (.gitattributes: src/schema.ts linguist-generated=true)",
    );
    expect(reasons.get("src/a.snap.ts")).toBe(
      "generated: marked generated (.gitattributes: *.snap.ts linguist-generated)",
    );
    expect(reasons.has("src/keep.snap.ts")).toBe(false);
  });

  it("recognises generated documentation sites and every script in them", () => {
    expect(reasons.get("docs/v4/searchindex.js")).toBe(
      "generated: generated documentation site (Sphinx: docs/v4/)",
    );
    expect(reasons.get("docs/v4/_static/doctools.js")).toBe(
      "generated: generated documentation site (Sphinx: docs/v4/)",
    );
    expect(reasons.get("docs/api/assets/main.js")).toBe(
      "generated: generated documentation site (TypeDoc: docs/api/)",
    );
    expect(reasons.get("docs/site/demo.js")).toBe(
      "generated: generated documentation site (a website in a documentation folder: docs/site/)",
    );
  });

  it("takes everything back with includeGenerated", () => {
    const all = walkFiles({ root, includeGenerated: true });
    expect(all.skipped).toEqual([]);
    expect(all.files).toHaveLength(result.files.length + result.skipped.length);
  });
});

describe("walkFiles from a base", () => {
  const root = tree({
    ".gitignore": "*.local.ts\n",
    ".gitattributes": "src/gen/** linguist-generated\n",
    "src/a.ts": CODE,
    "src/a.local.ts": CODE,
    "src/gen/x.ts": CODE,
    "docs/v1/index.html": "<html></html>",
    "docs/v1/searchindex.js": CODE,
    "docs/v1/_static/doctools.js": CODE,
  });

  it("reports paths from the base and applies the base's .gitignore and .gitattributes", () => {
    const result = walkFiles({ root: join(root, "src"), base: root });
    expect(result.files.map((f) => f.relativePath)).toEqual(["src/a.ts"]);
    expect(result.skipped.map((s) => `${s.relativePath}: ${s.code}`)).toEqual([
      "src/gen/x.ts: generated",
    ]);
  });

  it("knows a documentation site from inside it", () => {
    const result = walkFiles({ root: join(root, "docs", "v1", "_static"), base: root });
    expect(result.skipped.map((s) => s.relativePath)).toEqual(["docs/v1/_static/doctools.js"]);
  });

  it("gives every file its size and modification time", () => {
    const [file] = walkFiles({ root: join(root, "src", "a.ts"), base: root }).files;
    expect(file).toMatchObject({ relativePath: "src/a.ts", size: CODE.length });
    expect(file?.mtimeMs).toBeGreaterThan(0);
  });

  it("rejects a base that does not contain the root", () => {
    expect(() => walkFiles({ root, base: join(root, "src") })).toThrow(PerflayerConfigError);
  });
});

describe("inspectSource", () => {
  const bytes = (text: string): Buffer => Buffer.from(text, "utf8");

  it("returns the text of hand-written UTF-8 code, without a byte-order mark", () => {
    expect(inspectSource(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(CODE)]))).toEqual({
      text: CODE,
    });
  });

  it("refuses binary content and says where the NUL byte is", () => {
    expect(
      inspectSource(Buffer.from([0x47, 0x40, 0x00, 0x10]), { includeGenerated: true }),
    ).toEqual({ skip: { code: "binary", reason: "binary content (a NUL byte at offset 2)" } });
  });

  it("refuses text that is not UTF-8 and says which byte on which line", () => {
    const latin1 = Buffer.from('// menu\nconst name = "café";\n', "latin1");
    expect(inspectSource(latin1, { includeGenerated: true }).skip).toEqual({
      code: "encoding",
      reason: "not UTF-8 (byte 0xE9 at offset 25, line 2); re-save the file as UTF-8",
    });
    expect(inspectSource(Buffer.from([0xff, 0xfe, 0x61, 0x00]).subarray(0, 3)).skip?.reason).toBe(
      "not UTF-8 (a UTF-16 byte-order mark)",
    );
  });

  it.each([
    ["// Code generated by protoc-gen-ts. DO NOT EDIT.\n", "generated"],
    [
      "/* eslint-disable */\n// This file was auto-generated by Fern from our API Definition.\n",
      "generated",
    ],
    ["/**\n * @generated\n */\n", "generated"],
    ["/*! Widget v1.2.3 | (c) Someone | MIT */\n", "vendored"],
    ["/*!\n * Widget.js 2.6.14\n * (c) 2014-2021 Someone\n */\n", "vendored"],
    ["/******/ (() => { // webpackBootstrap\n", "generated"],
  ])("leaves out a file starting %j as %s", (head, code) => {
    expect(inspectSource(bytes(`${head}${CODE}`)).skip?.code).toBe(code);
    expect(inspectSource(bytes(`${head}${CODE}`), { includeGenerated: true }).text).toBeDefined();
  });

  it("analyses hand-written code under a `/*!` license header (a license's version is no release)", () => {
    const license =
      "/*!\n * @license\n * Copyright 2021 Example LLC\n *\n" +
      ' * Licensed under the Apache License, Version 2.0 (the "License");\n */\n';
    expect(inspectSource(bytes(`${license}${CODE}`)).text).toBe(`${license}${CODE}`);
    const short =
      "/*! Copyright 2020 Example LLC. Licensed under the Apache License, Version 2.0 */\n";
    expect(inspectSource(bytes(`${short}${CODE}`)).text).toBeDefined();
  });

  it("does not read a generated mark into ordinary comments", () => {
    const comment = "// Users get auto-generated ids; do not edit them by hand.\n";
    expect(inspectSource(bytes(`${comment}${CODE}`)).text).toBeDefined();
    expect(inspectSource(bytes(`${CODE}// DO NOT EDIT below\n`)).text).toBeDefined();
  });

  it("recognises compiled output by its sourceMappingURL", () => {
    expect(inspectSource(bytes(`${CODE}//# sourceMappingURL=add.js.map`)).skip).toEqual({
      code: "generated",
      reason: "compiled output (ends with a sourceMappingURL comment)",
    });
  });

  it("recognises minified and packed text by its shape, not formatted code", () => {
    expect(inspectSource(bytes(MINIFIED)).skip?.code).toBe("minified");
    expect(inspectSource(bytes(MINIFIED)).skip?.reason).toMatch(
      /^minified or packed \(100 % of the text in lines over 250 characters, [0-9.]+ % whitespace\)$/,
    );
    expect(inspectSource(bytes(CODE.repeat(100))).text).toBeDefined();
  });
});

describe("describeTooLarge", () => {
  it("prints sizes with enough precision to be true", () => {
    expect(describeTooLarge(3_250_000, 1_048_576)).toBe("too large (3.1 MiB > limit 1 MiB)");
    expect(describeTooLarge(1_090_000, 1_048_576)).toBe("too large (1.04 MiB > limit 1 MiB)");
    expect(describeTooLarge(1_048_577, 1_048_576)).toBe(
      "too large (1,048,577 bytes > limit 1,048,576 bytes)",
    );
    expect(describeTooLarge(2_000, 1_000)).toBe("too large (2 KiB > limit 1 KiB)");
  });
});
