// Reads and writes front-matter files with Decap CMS's own parser and serializer
// (decap-cms-core's FrontmatterFormatter, as the browser editor uses them), for tests/test_cms.py.
// Usage: node roundtrip.mjs <cms project folder> < paths.json  -> {path: {data, written}} on stdout.
// decap-cms-core ships its ES modules with extensionless imports; a resolve hook adds ".js".
import { register } from "node:module";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const hooks = `
export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); }
  catch (error) {
    if (!/\\.(c|m)?js$/.test(specifier)) { return next(specifier + ".js", context); }
    throw error;
  }
}
export async function load(url, context, next) {
  if (url.includes("/decap-cms-core/dist/esm/")) {
    const loaded = await next(url, { ...context, format: "module" });
    return { ...loaded, format: "module" };
  }
  return next(url, context);
}`;
register("data:text/javascript," + encodeURIComponent(hooks), import.meta.url);

const project = process.argv[2];
const core = `${project}/node_modules/decap-cms-core/dist/esm/formats/frontmatter.js`;
const { FrontmatterInfer } = await import(pathToFileURL(core).href);
const paths = JSON.parse(readFileSync(0, "utf8"));
const out = {};
for (const path of paths) {
  const data = FrontmatterInfer.fromFile(readFileSync(path, "utf8"));
  // what the editor saves when nothing was changed: the parsed data written back
  out[path] = { data, written: FrontmatterInfer.toFile(data) };
}
process.stdout.write(JSON.stringify(out));
