// Validates Kubernetes manifests (multi-document YAML on stdin or in the files named), offline,
// object by object, in two passes:
//  1. the Kubernetes JSON schemas compiled into kubernetes-models: types, formats, required fields;
//  2. the Kubernetes API types of kubernetes-types, through the TypeScript compiler: its excess
//     property check refuses any field the API does not have (the schemas in 1 allow unknown fields).
// Exits 1 and names every object and problem when anything is invalid or of an unknown kind.
//   kustomize build kubernetes/overlays/eks | node scripts/k8s/validate.mjs
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));

const files = process.argv.slice(2);
const text = files.length ? files.map((f) => readFileSync(f, "utf8")).join("\n---\n") : readFileSync(0, "utf8");

function modulePath(apiVersion) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`;
}

let objects = 0;
const problems = [];
const typed = [];
for (const doc of parseAllDocuments(text)) {
  if (doc.errors.length) {
    problems.push(`YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const obj = doc.toJS();
  if (obj == null) continue;
  objects++;
  const name = `${obj.kind ?? "?"}/${obj.metadata?.name ?? "?"}`;
  if (!obj.apiVersion || !obj.kind) {
    problems.push(`${name}: apiVersion and kind are required`);
    continue;
  }
  let Model;
  try {
    Model = (await import(modulePath(obj.apiVersion)))[obj.kind];
  } catch {
    Model = undefined;
  }
  if (!Model) {
    problems.push(`${name}: unknown apiVersion/kind ${obj.apiVersion} ${obj.kind}`);
    continue;
  }
  typed.push({ name, obj });
  try {
    new Model(obj).validate();
  } catch (e) {
    const details = (e.errors ?? []).map((x) => `${x.instancePath || "/"} ${x.message}${x.params?.additionalProperty ? ` '${x.params.additionalProperty}'` : ""}`);
    problems.push(`${name}: ${details.length ? details.join("; ") : e.message}`);
  }
}
// Pass 2: one typed constant per object, one object per line, checked by the TypeScript compiler.
function typesPath(apiVersion) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["core", apiVersion];
  return `kubernetes-types/${group.split(".")[0]}/${version}`;
}
if (typed.length) {
  const lines = typed.map(({ obj }, i) => `import type { ${obj.kind} as T${i} } from "${typesPath(obj.apiVersion)}";`);
  const first = lines.length;
  typed.forEach(({ obj }, i) => lines.push(`export const o${i}: T${i} = ${JSON.stringify(obj)};`));
  const dir = join(here, ".check");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "manifests.ts");
  writeFileSync(file, lines.join("\n") + "\n");
  const program = ts.createProgram([file], {
    noEmit: true, strict: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Node10,
    types: [], skipLibCheck: true,
  });
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(d.messageText, " ");
    if (d.file && d.start !== undefined) {
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      const owner = line >= first ? typed[line - first].name : typed[line]?.name ?? "?";
      problems.push(`${owner}: ${text}`);
    } else {
      problems.push(text);
    }
  }
}
if (objects === 0) problems.push("no Kubernetes objects in the input");
for (const p of problems) console.error(`invalid: ${p}`);
console.log(`${objects} objects, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
