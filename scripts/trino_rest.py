"""Trino's client REST protocol (POST /v1/statement, then follow nextUri), for scripts/trino.sh.

  python3 trino_rest.py sync URL USER LAKEHOUSE SCHEMA [--ca PEM --password-file FILE]
  python3 trino_rest.py query URL USER SQL           prints each row tab-separated
  python3 trino_rest.py ready URL                     exit 0 once the server has finished starting

sync registers every Delta table under LAKEHOUSE (a folder whose _delta_log holds a commit) in the admin catalog's
SCHEMA under the folder's name, unregisters names whose folder is gone, and leaves the others as they are: running it
twice registers nothing the second time. Standard library only.
"""

import base64
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.request

ADMIN_CATALOG = "delta_admin"


class QueryFailed(Exception):
    pass


class Client:
    def __init__(self, url, user, password=None, ca=None):
        self.url = url.rstrip("/")
        self.user = user
        self.headers = {"X-Trino-User": user, "X-Trino-Source": "sluice-trino-sh"}
        if password is not None:
            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            self.headers["Authorization"] = f"Basic {token}"
        self.context = None
        if ca:
            # The server's own certificate, pinned: whatever names it carries, nothing else is trusted.
            self.context = ssl.create_default_context(cafile=ca)
            self.context.check_hostname = False

    def _open(self, request, attempts=20):
        for attempt in range(attempts):
            try:
                with urllib.request.urlopen(request, timeout=60, context=self.context) as response:
                    return json.load(response)
            except urllib.error.HTTPError as e:
                if e.code in (429, 502, 503, 504) and attempt + 1 < attempts:
                    time.sleep(0.2)
                    continue
                raise QueryFailed(f"HTTP {e.code} from {request.full_url}: {e.read().decode(errors='replace')[:500]}")

    def query(self, sql):
        request = urllib.request.Request(
            f"{self.url}/v1/statement", data=sql.encode(), headers=self.headers, method="POST")
        result = self._open(request)
        rows = []
        while True:
            if "error" in result:
                error = result["error"]
                raise QueryFailed(f"{error.get('errorName', 'ERROR')}: {error.get('message')}\n  in: {sql}")
            rows.extend(result.get("data") or [])
            next_uri = result.get("nextUri")
            if not next_uri:
                return rows
            result = self._open(urllib.request.Request(next_uri, headers=self.headers))


def ready(url):
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/v1/info", timeout=5) as response:
            return not json.load(response).get("starting", True)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def lakehouse_tables(root):
    """The folders under root whose Delta log holds a commit, as scripts/sql.sh registers them."""
    tables = {}
    for name in sorted(os.listdir(root)):
        log = os.path.join(root, name, "_delta_log")
        if name.startswith((".", "_")) or not os.path.isdir(log):
            continue
        if any(f.endswith(".json") for f in os.listdir(log)):
            tables[name.lower()] = "file://" + os.path.abspath(os.path.join(root, name))
    return tables


def quote(text):
    return "'" + text.replace("'", "''") + "'"


def sync(client, root, schema):
    wanted = lakehouse_tables(root)
    client.query(f'CREATE SCHEMA IF NOT EXISTS {ADMIN_CATALOG}."{schema}"')
    present = {row[0] for row in client.query(
        f"SELECT table_name FROM {ADMIN_CATALOG}.information_schema.tables WHERE table_schema = {quote(schema)}")}
    added = [name for name in wanted if name not in present]
    removed = sorted(present - wanted.keys())
    for name in removed:
        client.query(f"CALL {ADMIN_CATALOG}.system.unregister_table(schema_name => {quote(schema)}, "
                     f"table_name => {quote(name)})")
    for name in added:
        client.query(f"CALL {ADMIN_CATALOG}.system.register_table(schema_name => {quote(schema)}, "
                     f"table_name => {quote(name)}, table_location => {quote(wanted[name])})")
    print(f"sluice: trino: {len(wanted)} tables in {schema}, {len(added)} registered, {len(removed)} unregistered "
          f"(their folders are gone)", file=sys.stderr)


def main(argv):
    command = argv[1] if len(argv) > 1 else ""
    options = {}
    positional = []
    args = iter(argv[2:])
    for arg in args:
        if arg in ("--ca", "--password-file"):
            options[arg] = next(args)
        else:
            positional.append(arg)
    password = None
    if "--password-file" in options:
        with open(options["--password-file"]) as f:
            password = f.read().strip()
    try:
        if command == "ready" and len(positional) == 1:
            return 0 if ready(positional[0]) else 1
        if command == "query" and len(positional) == 3:
            client = Client(positional[0], positional[1], password, options.get("--ca"))
            for row in client.query(positional[2]):
                print("\t".join("" if v is None else str(v) for v in row))
            return 0
        if command == "sync" and len(positional) == 4:
            url, user, root, schema = positional
            sync(Client(url, user, password, options.get("--ca")), root, schema)
            return 0
    except QueryFailed as e:
        print(f"sluice: trino: {e}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError) as e:
        print(f"sluice: trino: the server did not answer ({e}): is it running? scripts/trino.sh status",
              file=sys.stderr)
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
