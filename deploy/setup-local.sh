#!/usr/bin/env bash
# Lotse in production on one Debian 12 machine: the README's "Running in production",
# step by step, as a script (every step is here, none only in the README).
#
#   sudo BOT_TOKEN=123:ABC LOTSE_SERVER_NAME=lotse.example.org bash deploy/setup-local.sh
#   bash deploy/setup-local.sh --list             # the steps, in order
#   sudo ... bash deploy/setup-local.sh --step nginx   # one step again
#   sudo bash deploy/setup-local.sh --stop        # without systemd: stop what it started
#
# Run from a checkout of Lotse. Safe to run again: what exists is kept (the env file,
# the database role and its password, the key).
#
# Settings (environment):
#   BOT_TOKEN            required (from @BotFather)
#   LOTSE_SERVER_NAME    the public host name, DNS pointing here   (lotse.local)
#   LOTSE_BOT_PORTS      one bot process per port                  ("8091 8092")
#   LOTSE_WORKER_PORT    the worker's /healthz, /readyz, /metrics   (8090)
#   LOTSE_HTTPS_PORT     nginx's TLS port: Telegram takes 443, 80, 88, 8443   (443)
#   LOTSE_HTTP_PORT      nginx's port that redirects to https      (80)
#   LOTSE_TLS_CERT, LOTSE_TLS_KEY   a certificate (e.g. certbot's); unset: self-signed,
#                        which Telegram only takes when uploaded with setWebhook (untested)
#   LOTSE_SYSTEMD        yes | no | auto: with systemd units, or processes started here
#   TELEGRAM_API_URL     another Bot API server (the e2e test's emulator)
#   LOTSE_PREFIX, LOTSE_ETC, LOTSE_STATE   (/opt/lotse, /etc/lotse, /var/lib/lotse)
#   LOTSE_PYTHON         the Python the virtual environment is made with: Debian's, which
#                        the `lotse` account can run (not one under /root)   (/usr/bin/python3)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
SOURCE="$(dirname "$HERE")"
PREFIX="${LOTSE_PREFIX:-/opt/lotse}"
ETC="${LOTSE_ETC:-/etc/lotse}"
STATE="${LOTSE_STATE:-/var/lib/lotse}"
SERVER_NAME="${LOTSE_SERVER_NAME:-lotse.local}"
BOT_PORTS="${LOTSE_BOT_PORTS:-8091 8092}"
WORKER_PORT="${LOTSE_WORKER_PORT:-8090}"
HTTPS_PORT="${LOTSE_HTTPS_PORT:-443}"
HTTP_PORT="${LOTSE_HTTP_PORT:-80}"
REDIS_PORT="${LOTSE_REDIS_PORT:-6379}"
ENV_FILE="$ETC/lotse.env"
NGINX_SITE="${LOTSE_NGINX_SITE:-/etc/nginx/sites-available/lotse}"
RUN="$STATE/run"
PY="$PREFIX/venv/bin/python"
SYSTEM_PYTHON="${LOTSE_PYTHON:-/usr/bin/python3}"

STEPS=(packages account code postgresql redis env migrate tls nginx processes check)

say() { printf '== %s\n' "$*"; }

use_systemd() {
  case "${LOTSE_SYSTEMD:-auto}" in
    yes) return 0 ;;
    no) return 1 ;;
    *) [ -d /run/systemd/system ] ;;
  esac
}

as_lotse() { runuser -u lotse -- "$@"; }

# 1. Debian's packages: Python, PostgreSQL, Redis, nginx, openssl.
step_packages() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq python3 python3-venv postgresql redis-server nginx openssl curl >/dev/null
}

# 2. A system user `lotse` and its folders; only it reads the state and the env file.
step_account() {
  id lotse >/dev/null 2>&1 || useradd --system --home-dir "$STATE" --shell /usr/sbin/nologin lotse
  install -d -o root -g root -m 0755 "$PREFIX"
  install -d -o root -g lotse -m 0750 "$ETC"
  install -d -o lotse -g lotse -m 0750 "$STATE" "$RUN"
}

# 3. The code in $PREFIX/app and its virtual environment (the versions pinned in
#    pyproject.toml).
step_code() {
  rm -rf "$PREFIX/app.new"
  mkdir -p "$PREFIX/app.new"
  if git -C "$SOURCE" rev-parse --git-dir >/dev/null 2>&1; then
    git -C "$SOURCE" ls-files -z | (cd "$SOURCE" && xargs -0 cp --parents -t "$PREFIX/app.new")
  else
    cp -a "$SOURCE/." "$PREFIX/app.new/"
  fi
  rm -rf "$PREFIX/app.old"
  [ ! -d "$PREFIX/app" ] || mv "$PREFIX/app" "$PREFIX/app.old"
  mv "$PREFIX/app.new" "$PREFIX/app"
  [ -x "$PY" ] || "$SYSTEM_PYTHON" -m venv "$PREFIX/venv"
  "$PREFIX/venv/bin/pip" install -q "$PREFIX/app"
}

pg_port() {
  pg_lsclusters -h | awk '$2=="main" {print $3; exit}'
}

# 4. PostgreSQL: the cluster running, a role and a database `lotse` (password random,
#    kept in the env file).
step_postgresql() {
  if use_systemd; then
    systemctl enable --now postgresql
  else
    local version
    version=$(pg_lsclusters -h | awk '$2=="main" {print $1; exit}')
    pg_ctlcluster "$version" main start 2>/dev/null || pg_ctlcluster "$version" main status >/dev/null
  fi
  local port
  port=$(pg_port)
  for _ in $(seq 1 30); do su postgres -c "pg_isready -q -p $port" && break; sleep 1; done
  local password
  password=$(db_password)
  if su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='lotse'\"" | grep -q 1; then
    su postgres -c "psql -q -p $port -c \"ALTER ROLE lotse PASSWORD '$password'\""
  else
    su postgres -c "psql -q -p $port -c \"CREATE ROLE lotse LOGIN PASSWORD '$password'\""
  fi
  su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='lotse'\"" | grep -q 1 \
    || su postgres -c "createdb -p $port -O lotse lotse"
}

# The database password: the one in the env file, or a new one (kept for step env).
db_password() {
  if [ -f "$ENV_FILE" ]; then
    sed -n 's|^DATABASE_URL=postgresql+asyncpg://lotse:\([^@]*\)@.*|\1|p' "$ENV_FILE"
  else
    [ -f "$ETC/.db-password" ] || (umask 077 && openssl rand -hex 24 >"$ETC/.db-password")
    cat "$ETC/.db-password"
  fi
}

# 5. Redis on 127.0.0.1 (Debian's configuration: loopback, snapshots on disk, so a
#    restart keeps the conversations).
step_redis() {
  if use_systemd; then
    systemctl enable --now redis-server
  elif ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    runuser -u redis -- redis-server /etc/redis/redis.conf --port "$REDIS_PORT" \
      --daemonize yes --supervised no --pidfile /var/lib/redis/lotse-redis.pid
  fi
  for _ in $(seq 1 30); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.2; done
}

# 6. $ETC/lotse.env from deploy/.env.production.example: token, addresses, a new notes
#    key, a random webhook secret, the database and Redis. An existing file is kept.
step_env() {
  if [ -f "$ENV_FILE" ]; then
    echo "kept $ENV_FILE"
    return
  fi
  : "${BOT_TOKEN:?set BOT_TOKEN (from @BotFather)}"
  local key secret password base
  key=$("$PY" "$PREFIX/app/main.py" notes new-key)
  secret=$(openssl rand -hex 32)
  password=$(db_password)
  base="https://$SERVER_NAME"
  [ "$HTTPS_PORT" = 443 ] || base="$base:$HTTPS_PORT"
  umask 027
  sed -e "s|^BOT_TOKEN=.*|BOT_TOKEN=$BOT_TOKEN|" \
    -e "s|^WEBHOOK_URL=.*|WEBHOOK_URL=$base/telegram/webhook|" \
    -e "s|^WEBHOOK_SECRET=.*|WEBHOOK_SECRET=$secret|" \
    -e "s|^WEB_BASE_URL=.*|WEB_BASE_URL=$base|" \
    -e "s|^DATABASE_URL=.*|DATABASE_URL=postgresql+asyncpg://lotse:$password@127.0.0.1:$(pg_port)/lotse|" \
    -e "s|^REDIS_URL=.*|REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0|" \
    -e "s|^NOTES_KEY=.*|NOTES_KEY=$key|" \
    "$HERE/.env.production.example" >"$ENV_FILE.new"
  if [ -n "${TELEGRAM_API_URL:-}" ]; then
    echo "TELEGRAM_API_URL=$TELEGRAM_API_URL" >>"$ENV_FILE.new"
  fi
  chown root:lotse "$ENV_FILE.new"
  chmod 0640 "$ENV_FILE.new"
  mv "$ENV_FILE.new" "$ENV_FILE"
  rm -f "$ETC/.db-password"
  echo "wrote $ENV_FILE (keep a copy of NOTES_KEY apart from the backups)"
}

with_env() {
  (set -a && . "$ENV_FILE" && set +a && cd "$STATE" && as_lotse env "$@")
}

# 7. The database schema (start-up does it too; here a failure shows before any start).
step_migrate() {
  with_env "$PY" "$PREFIX/app/main.py" migrate
}

# 8. TLS: the given certificate, or a self-signed one for a first try.
step_tls() {
  install -d -o root -g root -m 0755 "$ETC/tls"
  if [ -n "${LOTSE_TLS_CERT:-}" ]; then
    ln -sf "$LOTSE_TLS_CERT" "$ETC/tls/fullchain.pem"
    ln -sf "${LOTSE_TLS_KEY:?set LOTSE_TLS_KEY with LOTSE_TLS_CERT}" "$ETC/tls/privkey.pem"
  elif [ ! -f "$ETC/tls/fullchain.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=$SERVER_NAME" \
      -addext "subjectAltName=DNS:$SERVER_NAME" \
      -keyout "$ETC/tls/privkey.pem" -out "$ETC/tls/fullchain.pem" 2>/dev/null
    chmod 0600 "$ETC/tls/privkey.pem"
  fi
}

# deploy/nginx/lotse.conf with this machine's name, ports and certificate, on stdout.
render_nginx() {
  local upstream=""
  for port in $BOT_PORTS; do
    upstream+="    server 127.0.0.1:$port max_fails=1 fail_timeout=5s;\n"
  done
  sed -e "/^    server 127\.0\.0\.1:[0-9]* max_fails/d" \
    -e "s|^    keepalive 16;|$upstream    keepalive 16;|" \
    -e "s|server_name lotse\.example\.org;|server_name $SERVER_NAME;|" \
    -e "s|listen 443 ssl|listen $HTTPS_PORT ssl|; s|listen \[::\]:443 ssl|listen [::]:$HTTPS_PORT ssl|" \
    -e "s|listen 80;|listen $HTTP_PORT;|; s|listen \[::\]:80;|listen [::]:$HTTP_PORT;|" \
    -e "s|return 301 https://\$host\$request_uri;|return 301 https://\$host:$HTTPS_PORT\$request_uri;|" \
    -e "s|/etc/lotse/tls/|$ETC/tls/|" \
    "$HERE/nginx/lotse.conf"
}

# 9. The nginx site: TLS, the webhook path and the console to the bot processes.
step_nginx() {
  render_nginx >"$NGINX_SITE"
  ln -sf "$NGINX_SITE" /etc/nginx/sites-enabled/lotse
  nginx -t -q
  if use_systemd; then
    systemctl enable --now nginx
    systemctl reload nginx
  elif [ -f /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
    nginx -s reload
  else
    nginx
  fi
}

# 10. The processes: one bot per port of LOTSE_BOT_PORTS (webhook mode) and one worker.
step_processes() {
  if use_systemd; then
    install -m 0644 "$HERE"/systemd/lotse-bot@.service "$HERE"/systemd/lotse.target \
      /etc/systemd/system/
    sed "s|^Environment=WEB_PORT=.*|Environment=WEB_PORT=$WORKER_PORT|" \
      "$HERE"/systemd/lotse-worker.service >/etc/systemd/system/lotse-worker.service
    systemctl daemon-reload
    for port in $BOT_PORTS; do systemctl enable "lotse-bot@$port"; done
    systemctl enable lotse-worker lotse.target
    systemctl restart lotse.target
    return
  fi
  step_stop
  for port in $BOT_PORTS; do
    start_process "bot-$port" env WEB_PORT="$port" "$PY" "$PREFIX/app/main.py"
  done
  start_process worker env WEB_PORT="$WORKER_PORT" "$PY" "$PREFIX/app/main.py" worker
}

start_process() {
  local name=$1
  shift
  (set -a && . "$ENV_FILE" && set +a && cd "$STATE" \
    && exec setsid runuser -u lotse -- "$@" >>"$STATE/$name.log" 2>&1 </dev/null) &
  echo $! >"$RUN/$name.pid"
  echo "started $name (pid $!, log $STATE/$name.log)"
}

# Without systemd: stop the processes this script started, by their pid files.
step_stop() {
  for pidfile in "$RUN"/*.pid; do
    [ -f "$pidfile" ] || continue
    local pid
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
    rm -f "$pidfile"
  done
}

# 11. Check: nginx reaches the bot processes over TLS (any answer but a gateway error).
step_check() {
  local code=000
  for _ in $(seq 1 60); do
    code=$(curl -sk -o /dev/null -w '%{http_code}' \
      --resolve "$SERVER_NAME:$HTTPS_PORT:127.0.0.1" "https://$SERVER_NAME:$HTTPS_PORT/console/" \
      || true)
    case "$code" in 502 | 503 | 504 | 000) sleep 1 ;; *) break ;; esac
  done
  case "$code" in
    502 | 503 | 504 | 000)
      echo "nginx cannot reach the bot processes (HTTP $code)" >&2
      return 1
      ;;
  esac
  echo "Lotse answers at https://$SERVER_NAME:$HTTPS_PORT/console/ (HTTP $code)"
}

main() {
  case "${1:-}" in
    --list)
      printf '%s\n' "${STEPS[@]}"
      return
      ;;
    --render-nginx)
      render_nginx
      return
      ;;
    --stop)
      step_stop
      return
      ;;
    --step)
      "step_${2:?--step NAME (see --list)}"
      return
      ;;
    "") ;;
    *)
      sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
      return 2
      ;;
  esac
  [ "$(id -u)" = 0 ] || { echo "run as root (sudo)" >&2; return 2; }
  for step in "${STEPS[@]}"; do
    say "$step"
    "step_$step"
  done
}

main "$@"
