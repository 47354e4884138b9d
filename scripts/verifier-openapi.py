#!/usr/bin/env python3
"""Checks a live Comptoir server against its own OpenAPI document (/openapi.json), with the
requests of docs/exemples: each is a body the document accepts, its answer is what the document
says, and then every record of every domain, in JSON and CSV, and each record again by the path
of its key, is what the document says. Usage: verifier-openapi.py http://127.0.0.1:PORT
(a server started with --demo: user DEMO, empty password). Imports into DEMO."""
import base64
import decimal
import glob
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

base = sys.argv[1].rstrip("/")
document = json.load(urllib.request.urlopen(base + "/openapi.json"))
validate(document)
authorization = {"Authorization": "Basic " + base64.b64encode(b"DEMO:").decode()}
problems = []


def call(path, body=None, headers=None):
    request = urllib.request.Request(base + path, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def check(schema, value, where):
    # The document's components resolve the schema's references.
    validator = OAS31Validator(dict(schema, components=document["components"]))
    for error in list(validator.iter_errors(value))[:3]:
        problems.append(f"{where} : {list(error.absolute_path)} {error.message[:300]}")


def answer_schema(operation, status):
    response = operation["responses"][str(status)]
    if "$ref" in response:
        response = document["components"]["responses"][response["$ref"].split("/")[-1]]
    return response["content"]["application/json"]["schema"]


# Each example request: a body of its operation, answered as documented; twice, so that a line
# whose references another file brings is taken the second time.
imports = {}
for path, item in document["paths"].items():
    operation = item.get("post")
    if operation:
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        imports[schema["required"][0]] = (path, operation, schema)
examples = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "docs", "exemples", "*.requete.json")))
for _ in range(2):
    for file in examples:
        body = json.load(open(file, encoding="utf-8"))
        path, operation, schema = imports[next(iter(body))]
        check(schema, body, os.path.basename(file))
        status, _, answer = call(path, json.dumps(body).encode(), {"Content-Type": "application/json"})
        check(answer_schema(operation, status), json.loads(answer), f"{path} {status}")

# A client with a custom field, which its records then carry.
custom = {"importer_clients": {"societe": {"fichier": "DEMO", "utilisateur": "DEMO"}, "parametres": {
    "entete": "Oui", "fichier_clients": ["PCF_CODE;PCF_RS;CPT_NUMERO;XXX_NOTE", "PERSO1;Perso;411PERSO1;note"]}}}
path, operation, schema = imports["importer_clients"]
status, _, answer = call(path, json.dumps(custom).encode(), {"Content-Type": "application/json"})
check(answer_schema(operation, status), json.loads(answer), f"{path} {status} (champ personnalisé)")

# Every record of every domain, then each one by its key's path.
prefix = "/api/comptoir/v1/societes/{societe}/"
keys = {d["nom"]: d["cle"] for d in json.loads(call("/api/comptoir/v1/domaines")[2])["domaines"]}
records = 0
for path, item in document["paths"].items():
    if not path.startswith(prefix) or path.count("{") != 1:
        continue
    domaine = path[len(prefix):]
    listing = path.replace("{societe}", "DEMO")
    status, headers, body = call(listing + "?limite=1000000", headers=dict(authorization, Accept="text/csv"))
    if status != 200 or not headers["Content-Type"].startswith("text/csv"):
        problems.append(f"{listing} en CSV : {status} {headers['Content-Type']}")
    status, _, body = call(listing + "?limite=1000000", headers=authorization)
    # Decimals keep their digits, as the key's path needs them.
    page = json.loads(body, parse_float=decimal.Decimal)
    check(answer_schema(item["get"], status), page, listing)
    operation = next(item for key, item in document["paths"].items() if key.startswith(path + "/{"))["get"]
    for record in page.get("enregistrements", []):
        one = listing + "".join("/" + urllib.parse.quote(str(record[k]), safe="") for k in keys[domaine])
        status, _, body = call(one, headers=authorization)
        if status != 200:
            problems.append(f"{one} : {status} {body[:200]!r}")
            continue
        found = json.loads(body, parse_float=decimal.Decimal)
        check(answer_schema(operation, status), found, one)
        if found != record:
            problems.append(f"{one} : autre que dans la liste")
        records += 1

for problem in problems:
    print(problem)
print(f"{len(examples)} requêtes d'exemple et {records} enregistrements relus : {len(problems)} écart(s) au document.")
sys.exit(1 if problems else 0)
