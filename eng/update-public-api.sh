#!/usr/bin/env bash
# Brings each src project's PublicAPI.Unshipped.txt in line with its public surface:
# adds what RS0016 reports as undeclared and removes what RS0017 reports as gone.
# Usage: eng/update-public-api.sh [project.csproj ...]   (default: every project under src/)
set -euo pipefail
cd "$(dirname "$0")/.."
projects=("$@")
[ ${#projects[@]} -gt 0 ] || mapfile -t projects < <(ls src/*/*.csproj)
for p in "${projects[@]}"; do
  dir=$(dirname "$p")
  log=$(mktemp)
  dotnet build "$p" --no-incremental -p:TreatWarningsAsErrors=false -nologo -clp:NoSummary >"$log" 2>&1 || true
  python3 - "$dir" "$log" <<'PY'
import re, sys, os
d, log = sys.argv[1], sys.argv[2]
text = open(log, encoding="utf-8", errors="replace").read()
src = os.path.realpath(d)
add, remove = set(), set()
for m in re.finditer(r"^(\S+?)\(\d+,\d+\): (?:error|warning) (RS001[67]): Symbol '(.+?)' is (?:not part of the declared|part of the declared)", text, re.M):
    f = os.path.realpath(m.group(1))
    if not (f.startswith(src + os.sep) or f.startswith(src)):
        continue
    (add if m.group(2) == "RS0016" else remove).add(m.group(3))
# RS0017 reports on the API file itself
for m in re.finditer(r"(?:error|warning) RS0017: Symbol '(.+?)' is part of the declared API, but is either not public or could not be found \[(.+?)\]", text):
    if os.path.dirname(os.path.realpath(m.group(2))) == src:
        remove.add(m.group(1))
path = os.path.join(d, "PublicAPI.Unshipped.txt")
lines = [l.rstrip("\n") for l in open(path, encoding="utf-8")] if os.path.exists(path) else ["#nullable enable"]
body = [l for l in lines[1:] if l.strip() and l not in remove]
body = sorted(set(body) | add, key=lambda s: s.lstrip("~"))
open(path, "w", encoding="utf-8").write("\n".join([lines[0]] + body) + "\n")
print(f"{d}: +{len(add)} -{len(remove)}")
PY
  rm -f "$log"
done
