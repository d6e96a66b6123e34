#!/usr/bin/env bash
# Static checks of the container setup: docker/Dockerfile, .dockerignore and docker/compose.yaml.
# Needs no Docker engine and no network (run as `npm run check:docker`, after `npm install`).
#
#   1. Dockerfile assertions (always; plain bash/awk): multi-stage, every stage FROM node:24,
#      `npm install` (never `npm ci`), `npm run build`, a slim runtime stage with production-only
#      node_modules, NODE_ENV=production, non-root USER, EXPOSE 3000, a node-based HEALTHCHECK on
#      /health/live, CMD ["node","dist/apps/monolith/src/main.js"]; .dockerignore entries.
#   2. Dockerfile lint: hadolint when it is on PATH (Debian bookworm does not package it), and
#      dockerfile-utils (devDependency) from node_modules/.bin or PATH. At least one must run.
#   3. Compose assertions (always): services postgres/redis/monolith, healthcheck-gated depends_on,
#      the monolith's environment, the `# ficus:extracted-services` marker closing the services map.
#   4. Compose validation: `docker compose config -q` when a Compose v2 client is installed (the
#      client parses the file without an engine); dclint (devDependency), which validates against
#      the Compose Specification JSON schema and applies its best-practice rules. dclint is required.
#
# Exit status: 0 when every check passed, 1 otherwise.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

DOCKERFILE=docker/Dockerfile
COMPOSE=docker/compose.yaml
DOCKERIGNORE=.dockerignore
MARKER='# ficus:extracted-services'
# Versions to add to devDependencies; printed in the hints when a tool is missing.
DOCKERFILE_UTILS_PKG='dockerfile-utils@0.16.3'
DCLINT_PKG='dclint@3.1.0'

passed=0
failed=0
ok() {
  passed=$((passed + 1))
  printf '  ok    %s\n' "$*"
}
fail() {
  failed=$((failed + 1))
  printf '  FAIL  %s\n' "$*"
}
check() { # check "description" command...
  local what=$1
  shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}
section() { printf '\n==> %s\n' "$*"; }

# A tool from the project's node_modules/.bin first, then from PATH.
find_tool() {
  if [ -x "node_modules/.bin/$1" ]; then
    printf '%s\n' "node_modules/.bin/$1"
  else
    command -v "$1" 2>/dev/null
  fi
}

for f in "$DOCKERFILE" "$COMPOSE" "$DOCKERIGNORE"; do
  if [ ! -f "$f" ]; then
    echo "check-docker: $f is missing" >&2
    exit 1
  fi
done

# ------------------------------------------------------------------------------------------------
# Dockerfile -> one logical instruction per line: "<stage>\t<INSTRUCTION>\t<arguments>".
# Continuation lines are joined, comments and blank lines dropped.
parse_dockerfile() {
  awk '
    { sub(/\r$/, "") }
    /^[ \t]*#/ { next }
    !cont && /^[ \t]*$/ { next }
    {
      line = $0
      if (line ~ /\\[ \t]*$/) { sub(/\\[ \t]*$/, "", line); buf = buf line " "; cont = 1; next }
      buf = buf line; cont = 0
      sub(/^[ \t]+/, "", buf); gsub(/[ \t]+/, " ", buf); sub(/ $/, "", buf)
      instr = buf; sub(/ .*/, "", instr); instr = toupper(instr)
      args = buf; if (args ~ / /) sub(/^[^ ]+ /, "", args); else args = ""
      if (instr == "FROM") stage++
      printf "%d\t%s\t%s\n", stage, instr, args
      buf = ""
    }
  ' "$1"
}

STAGES=()        # stage number -> base image
STAGE_NAMES=()   # stage number -> name (empty when unnamed)
INSTR_STAGE=()
INSTR_NAME=()
INSTR_ARGS=()
while IFS=$'\t' read -r stage instr args; do
  INSTR_STAGE+=("$stage")
  INSTR_NAME+=("$instr")
  INSTR_ARGS+=("$args")
done < <(parse_dockerfile "$DOCKERFILE")

stage_count=0
for i in "${!INSTR_NAME[@]}"; do
  [ "${INSTR_NAME[$i]}" = FROM ] || continue
  stage_count=$((stage_count + 1))
  read -r -a words <<<"${INSTR_ARGS[$i]}"
  image="" name=""
  for ((w = 0; w < ${#words[@]}; w++)); do
    word=${words[$w]}
    case "$word" in
      --*) ;;
      [Aa][Ss]) name=${words[$((w + 1))]:-} ; break ;;
      *) [ -z "$image" ] && image=$word ;;
    esac
  done
  STAGES[stage_count]="$image"
  STAGE_NAMES[stage_count]="$name"
done
final_stage=$stage_count

# Instructions of one stage, "INSTRUCTION args" per line.
stage_lines() {
  local s=$1 i
  for i in "${!INSTR_NAME[@]}"; do
    [ "${INSTR_STAGE[$i]}" = "$s" ] && printf '%s %s\n' "${INSTR_NAME[$i]}" "${INSTR_ARGS[$i]}"
  done
  return 0
}
stage_by_name() {
  local n=$1 s
  for ((s = 1; s <= stage_count; s++)); do
    [ "${STAGE_NAMES[$s]:-}" = "$n" ] && { printf '%s\n' "$s"; return 0; }
  done
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -lt "$stage_count" ] && { printf '%s\n' $((n + 1)); return 0; }
  return 1
}
all_lines() {
  local s
  for ((s = 1; s <= stage_count; s++)); do stage_lines "$s"; done
}

section "Dockerfile assertions ($DOCKERFILE)"

check "multi-stage build (found $stage_count stages, need >= 2)" test "$stage_count" -ge 2

from_ok=true
for ((s = 1; s <= stage_count; s++)); do
  image=${STAGES[$s]}
  if [[ "$image" =~ ^node:24([.-]|$) ]] || stage_by_name "$image" >/dev/null; then
    :
  else
    from_ok=false
    echo "        stage $s is FROM '$image' (expected node:24-*)"
  fi
done
check "every stage is FROM node:24 (or an earlier stage)" $from_ok

names_ok=true
for ((s = 1; s <= stage_count; s++)); do [ -n "${STAGE_NAMES[$s]:-}" ] || names_ok=false; done
check "every stage is named (FROM ... AS <name>)" $names_ok

check "runtime stage is a slim Node 24 image (${STAGES[$final_stage]:-none})" \
  grep -Eq '^node:24[^ ]*slim' <<<"${STAGES[$final_stage]:-}"

no_latest_tag() { ! grep -Eq '^FROM .*:latest( |$)' <<<"$1"; }
check "no ':latest' image tags" no_latest_tag "$(all_lines)"

uses_npm_install() { grep -Eq '^RUN .*npm (install|i)( |$)' <<<"$1" && ! grep -Eq '^RUN .*npm ci( |$)' <<<"$1"; }
check "dependencies installed with 'npm install' (the project does not use 'npm ci')" uses_npm_install "$(all_lines)"

check "a build stage runs 'npm run build'" grep -Eq '^RUN .*npm run build( |$|&|;)' <<<"$(all_lines)"

final_lines=$(stage_lines "$final_stage")

# Production-only node_modules in the runtime stage: either installed there with --omit=dev, or
# copied from a stage that installed (or pruned) with --omit=dev.
prod_deps_ok=false
prod_deps_why="runtime stage gets no node_modules from an --omit=dev install"
if grep -Eq '^RUN .*npm (install|i|ci)( |$)' <<<"$final_lines"; then
  if grep -E '^RUN .*npm (install|i|ci)( |$)' <<<"$final_lines" | grep -Evq -- '--omit[= ]dev|--production'; then
    prod_deps_why="runtime stage runs an npm install without --omit=dev"
  else
    prod_deps_ok=true
  fi
fi
while read -r from_ref; do
  [ -n "$from_ref" ] || continue
  src_stage=$(stage_by_name "$from_ref" || true)
  if [ -z "$src_stage" ]; then
    prod_deps_ok=false
    prod_deps_why="node_modules copied from unknown stage '$from_ref'"
    break
  fi
  if grep -Eq -- '^RUN .*npm (install|i|ci|prune)( .*)? --omit[= ]dev|^RUN .*npm (install|i|ci|prune)( .*)? --production' \
    <<<"$(stage_lines "$src_stage")"; then
    prod_deps_ok=true
  else
    prod_deps_ok=false
    prod_deps_why="node_modules copied from stage '$from_ref', which does not install with --omit=dev"
    break
  fi
done < <(grep -E '^COPY .*--from=[^ ]+ .*node_modules' <<<"$final_lines" | sed -E 's/.*--from=([^ ]+).*/\1/')
$prod_deps_ok || echo "        $prod_deps_why"
check "runtime stage has production dependencies only (no devDependencies, so no 'node' npm package)" $prod_deps_ok

no_node_package() { ! grep -Eq 'node_modules/(\.bin/node|node/)' <<<"$1"; }
check "runtime stage does not run the 'node' npm package" no_node_package "$final_lines"

check "runtime stage sets NODE_ENV=production" \
  grep -Eq '^ENV (.* )?NODE_ENV(=| )"?production"?( |$)' <<<"$final_lines"

last_user=$(grep -E '^USER ' <<<"$final_lines" | tail -n 1 | cut -d' ' -f2- || true)
non_root() { [ -n "$1" ] && ! grep -Eq '^(root|0)(:|$)' <<<"$1"; }
check "runtime stage runs as a non-root USER (${last_user:-none})" non_root "$last_user"

check "runtime stage EXPOSEs 3000" grep -Eq '^EXPOSE (.* )?3000(/tcp)?( |$)' <<<"$final_lines"

healthcheck=$(grep -E '^HEALTHCHECK ' <<<"$final_lines" | tail -n 1 || true)
check "runtime stage has a HEALTHCHECK" test -n "$healthcheck"
node_probe() {
  grep -q '/health/live' <<<"$1" && grep -Eq 'CMD (\[ *"node"|node )' <<<"$1" && ! grep -Eqw 'curl|wget' <<<"$1"
}
check "HEALTHCHECK probes /health/live with node (no curl/wget in slim images)" node_probe "$healthcheck"

cmd=$(grep -E '^CMD ' <<<"$final_lines" | tail -n 1 | sed -E 's/^CMD //; s/[[:space:]]//g' || true)
check "CMD [\"node\",\"dist/apps/monolith/src/main.js\"] (found: ${cmd:-none})" \
  test "$cmd" = '["node","dist/apps/monolith/src/main.js"]'

section ".dockerignore assertions ($DOCKERIGNORE)"
for entry in node_modules dist .git var coverage '*.log' bench/results; do
  check ".dockerignore excludes $entry" grep -Fxq -- "$entry" "$DOCKERIGNORE"
done

# ------------------------------------------------------------------------------------------------
section "Dockerfile lint"
linted=false
if hadolint_bin=$(find_tool hadolint); then
  linted=true
  if "$hadolint_bin" "$DOCKERFILE"; then ok "hadolint ($("$hadolint_bin" --version 2>/dev/null | head -n 1))"; else fail "hadolint"; fi
else
  echo "  --    hadolint not on PATH (Debian bookworm has no hadolint package); skipped"
fi
if dfu_bin=$(find_tool dockerfile-utils); then
  linted=true
  # Any diagnostic, warning or error, fails the check.
  if dfu_json=$("$dfu_bin" lint --json "$DOCKERFILE") && [ "$dfu_json" = "[]" ]; then
    ok "dockerfile-utils lint ($("$dfu_bin" --version | head -n 1))"
  else
    # shellcheck disable=SC2016 # JavaScript template literals, not shell expansions
    node -e '
      let d; try { d = JSON.parse(process.argv[1]); } catch { console.log(process.argv[1]); process.exit(0); }
      for (const x of d) console.log(`        ${process.argv[2]}:${x.range.start.line + 1}:${x.range.start.character + 1} ${x.severity}: ${x.message}`);
    ' "${dfu_json:-}" "$DOCKERFILE"
    fail "dockerfile-utils lint"
  fi
fi
$linted || fail "no Dockerfile linter found: run 'npm install' (devDependency $DOCKERFILE_UTILS_PKG) or put hadolint on PATH"

# ------------------------------------------------------------------------------------------------
section "Compose assertions ($COMPOSE)"

# Top-level keys, and the services map's own keys (2-space indent), in file order.
services_keys=$(awk '
  /^[^ #]/ { in_services = ($0 ~ /^services:[ \t]*$/); next }
  in_services && /^  [A-Za-z0-9._-]+:[ \t]*$/ { k = $0; sub(/^  /, "", k); sub(/:.*/, "", k); print k }
' "$COMPOSE")
for svc in postgres redis monolith; do
  check "service '$svc' is defined" grep -Fxq "$svc" <<<"$services_keys"
done

# The lines of one service's block.
service_block() {
  awk -v svc="$1" '
    /^[^ #]/ { in_services = ($0 ~ /^services:[ \t]*$/); in_svc = 0; next }
    in_services && /^  [A-Za-z0-9._-]+:/ { k = $0; sub(/^  /, "", k); sub(/:.*/, "", k); in_svc = (k == svc); next }
    in_services && /^  #/ { next }
    in_svc { print }
  ' "$COMPOSE"
}
pg_block=$(service_block postgres)
redis_block=$(service_block redis)
mono_block=$(service_block monolith)

check "postgres has a pg_isready healthcheck" grep -q 'pg_isready' <<<"$pg_block"
pg_env() { grep -Eq "POSTGRES_DB: *[\"']?ficus[\"']?$" <<<"$1" && grep -Eq "POSTGRES_PASSWORD: *[\"']?\\\$\\{POSTGRES_PASSWORD" <<<"$1"; }
check "postgres sets POSTGRES_DB=ficus and POSTGRES_PASSWORD from the environment" pg_env "$pg_block"
check "postgres keeps its data on a named volume" grep -Eq -- "- *[\"']?[A-Za-z0-9_-]+:/var/lib/postgresql" <<<"$pg_block"
# The redis command as one line of words, whether written as a block list, a flow list or a string.
redis_words=$(tr -d "\"'[]," <<<"$redis_block" | tr '\n' ' ' | sed -E 's/(^| )- / /g; s/ +/ /g')
redis_flags() { grep -q -- '--appendonly yes' <<<"$1" && grep -q -- '--maxmemory-policy noeviction' <<<"$1"; }
check "redis runs with --appendonly yes and --maxmemory-policy noeviction" redis_flags "$redis_words"
check "redis has a healthcheck" grep -q 'healthcheck:' <<<"$redis_block"
mono_build() { grep -Eq "context: *[\"']?\.\.[\"']?$" <<<"$1" && grep -Eq "dockerfile: *[\"']?docker/Dockerfile[\"']?$" <<<"$1"; }
check "monolith builds from docker/Dockerfile with context .." mono_build "$mono_block"
check "monolith waits for postgres and redis to be healthy" \
  test "$(grep -c 'condition: service_healthy' <<<"$mono_block")" -ge 2
for var in NODE_ENV DATABASE_URL REDIS_URL FICUS_DB_ROLE_PASSWORD JWT_PRIVATE_KEY JWT_PUBLIC_KEY; do
  check "monolith sets $var" grep -Eq "^ +$var:" <<<"$mono_block"
done
check "monolith publishes port 3000" grep -Eq -- "- *[\"']?([0-9.]+:)?3000:3000[\"']?$" <<<"$mono_block"

marker_count=$(grep -Fxc "  $MARKER" "$COMPOSE" || true)
check "marker '$MARKER' appears once, indented as a key of services" test "$marker_count" = 1
# shellcheck disable=SC2016 # awk program
check "marker is the last line of the services map (extracted services are inserted above it)" \
  awk -v marker="  $MARKER" '
    /^[^ #]/ { in_services = ($0 ~ /^services:[ \t]*$/); next }
    $0 == marker { seen = in_services; after = 0; next }
    seen && in_services && /[^ \t]/ && $0 !~ /^[ \t]*#/ { after = 1 }
    END { exit !(seen && !after) }
  ' "$COMPOSE"

# ------------------------------------------------------------------------------------------------
section "Compose validation"
# Placeholders for the variables the file requires (${VAR:?...}); real values win when set.
compose_env=(
  "JWT_PRIVATE_KEY=${JWT_PRIVATE_KEY:-check-docker-placeholder}"
  "JWT_PUBLIC_KEY=${JWT_PUBLIC_KEY:-check-docker-placeholder}"
)
if docker compose version >/dev/null 2>&1; then
  check "docker compose config -q ($(docker compose version --short 2>/dev/null))" \
    env "${compose_env[@]}" docker compose -f "$COMPOSE" config -q
elif dc_bin=$(command -v docker-compose 2>/dev/null) && "$dc_bin" version --short 2>/dev/null | grep -Eq '^v?[2-9]'; then
  check "docker-compose config -q ($("$dc_bin" version --short))" \
    env "${compose_env[@]}" "$dc_bin" -f "$COMPOSE" config -q
else
  echo "  --    no Compose v2 client (docker compose plugin) installed; skipped 'config -q'"
fi

if dclint_bin=$(find_tool dclint); then
  color_flag=()
  [ -t 1 ] || color_flag=(--no-color)
  # Compose Specification schema validation always runs (it cannot be disabled); rules off:
  #   services-alphabetical-order  extracted services are appended after the monolith
  #   no-unbound-port-interfaces   the monolith's HTTP port is published on every interface on purpose
  # (require-quotes-in-ports stays on: its default, single quotes, matches the project's prettier.)
  if dclint_out=$("$dclint_bin" "$COMPOSE" "${color_flag[@]}" --max-warnings 0 \
    --disable-rule services-alphabetical-order no-unbound-port-interfaces 2>&1); then
    ok "dclint: Compose Specification schema and best-practice rules ($("$dclint_bin" --version))"
  else
    printf '%s\n' "$dclint_out" | sed '/^[[:space:]]*$/d; s/^/        /'
    fail "dclint: Compose Specification schema and best-practice rules"
  fi
else
  fail "dclint not found: run 'npm install' (devDependency $DCLINT_PKG)"
fi

# ------------------------------------------------------------------------------------------------
echo
total=$((passed + failed))
if [ "$failed" -eq 0 ]; then
  echo "check-docker: all $total checks OK"
else
  echo "check-docker: $failed of $total checks FAILED"
  exit 1
fi
