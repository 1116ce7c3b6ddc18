/**
 * The Function's code as the user supplied it: read from memory, a local file or a Pulumi asset, hashed
 * for `diff`, and put into the create or `PUT .../code` body. The I/O half of the Function (file reads);
 * the pure rules are in function-model.ts.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { CodeType, FuncCode, UpdateFunctionCodeRequest } from "../../sdk/functiongraph/types/function";
import type { Props } from "../handler";
import { isPlainObject, sha256Hex, unknown, unknownSentinel } from "./common";
import { codeSourceKeys, isAssetLike } from "./function-model";

/** The code the user supplied, as bytes, with a file name; undefined for OBS and custom images. */
export async function loadCode(inputs: Props): Promise<{ bytes: Buffer; fileName?: string } | undefined> {
  if (typeof inputs.inlineCode === "string") return { bytes: Buffer.from(inputs.inlineCode, "utf8") };
  if (typeof inputs.codeBase64 === "string") return { bytes: Buffer.from(inputs.codeBase64, "base64") };
  if (typeof inputs.codePath === "string") {
    return { bytes: await readFile(inputs.codePath), fileName: basename(inputs.codePath) };
  }
  if (isAssetLike(inputs.codeAsset)) {
    const asset = inputs.codeAsset as { path?: unknown; text?: unknown };
    const path: unknown = await asset.path;
    if (typeof path === "string") return { bytes: await readFile(path), fileName: basename(path) };
    const text: unknown = await asset.text;
    if (typeof text === "string") return { bytes: Buffer.from(text, "utf8") };
  }
  return undefined;
}

/**
 * Hash of the code the user supplied: the bytes for inline/zip/jar (however given), the object's identity
 * (URL + user-given version/etag) for OBS, the image reference for custom images. Never the server's
 * digest, which changes with packaging and cannot be computed before upload.
 */
export async function codeHash(inputs: Props): Promise<string> {
  for (const k of codeSourceKeys) if (unknown(inputs[k])) return unknownSentinel;
  if (unknown(inputs.customImage) || unknown(inputs.codeVersion)) return unknownSentinel;
  if (typeof inputs.codeUrl === "string")
    return `obs:${sha256Hex(`${inputs.codeUrl}\n${typeof inputs.codeVersion === "string" ? inputs.codeVersion : ""}`)}`;
  if (isPlainObject(inputs.customImage)) return `image:${sha256Hex(String(inputs.customImage.image ?? ""))}`;
  const code = await loadCode(inputs);
  return `sha256:${sha256Hex(code?.bytes ?? Buffer.alloc(0))}`;
}

/** The code part of a create or `PUT .../code` body, from the inputs (always includes the code). */
export async function codeBody(inputs: Props): Promise<UpdateFunctionCodeRequest> {
  const codeType = inputs.codeType as CodeType;
  const body: UpdateFunctionCodeRequest = { code_type: codeType };
  if (codeType === "obs") {
    body.code_url = String(inputs.codeUrl);
    body.func_code = { link: String(inputs.codeUrl) };
  } else if (codeType !== "Custom-Image-Swr") {
    const code = await loadCode(inputs);
    const fc: FuncCode = { file: (code?.bytes ?? Buffer.alloc(0)).toString("base64") };
    body.func_code = fc;
    if (codeType === "zip" || codeType === "jar") {
      body.code_filename =
        (typeof inputs.codeFilename === "string" ? inputs.codeFilename : undefined) ??
        code?.fileName ??
        (codeType === "jar" ? "index.jar" : "index.zip");
    }
  }
  if (typeof inputs.codeFilename === "string" && body.code_filename === undefined)
    body.code_filename = inputs.codeFilename;
  if (Array.isArray(inputs.dependVersionList))
    body.depend_version_list = inputs.dependVersionList.map(String);
  return body;
}
