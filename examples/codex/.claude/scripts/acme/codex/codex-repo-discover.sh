#!/usr/bin/env bash
# Prints the codex repository as owner/name, for the codex-sync command and agent.
#   1. CODEX_GITHUB_ORG and CODEX_GITHUB_REPO from the environment or the project's .env file;
#   2. else the only repository named codex.* in the organisation of the current repository.
# Exits 1 with a message on stderr when neither gives exactly one codex.
set -euo pipefail

read_env() {
  local key=$1
  if [ -n "${!key:-}" ]; then
    printf '%s\n' "${!key}"
  elif [ -f .env ]; then
    sed -n -E "s/^[[:space:]]*(export[[:space:]]+)?$key[[:space:]]*=[[:space:]]*['\"]?([^'\"#[:space:]]*).*/\\2/p" .env | tail -n 1
  fi
}

org=$(read_env CODEX_GITHUB_ORG)
repo=$(read_env CODEX_GITHUB_REPO)
if [ -z "$org" ]; then
  org=$(gh repo view --json owner --jq .owner.login 2>/dev/null) || {
    echo "codex-repo-discover: run it inside a clone of a project, or set CODEX_GITHUB_ORG." >&2
    exit 1
  }
fi
if [ -n "$repo" ]; then
  printf '%s/%s\n' "$org" "${repo#*/}"
  exit 0
fi

mapfile -t found < <(gh repo list "$org" --limit 4000 --no-archived --json name \
  --jq '.[].name | select(startswith("codex."))')
if [ "${#found[@]}" -ne 1 ]; then
  echo "codex-repo-discover: found ${#found[@]} repositories named codex.* in $org (${found[*]:-none});" \
    "set CODEX_GITHUB_ORG and CODEX_GITHUB_REPO in .env." >&2
  exit 1
fi
printf '%s/%s\n' "$org" "${found[0]}"
