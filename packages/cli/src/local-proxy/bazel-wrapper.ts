// The `tools/bazel` wrapper of the original README's "More optimal configuration": Bazel runs
// `tools/bazel` instead of itself when the file exists (with $BAZEL_REAL set to the real binary).
// Written for bash 3.2 too (macOS): no mapfile, no empty "${array[@]}" under `set -u`.
import { UsageError } from "../errors.js";
import { instanceNameProblem } from "../flags.js";

/** Bazel commands that take build options, so `--remote_cache` and `--remote_instance_name`; the others pass through untouched. */
export const CACHE_COMMANDS = ["build", "test", "run", "coverage", "cquery", "aquery", "info", "fetch"] as const;

export interface WrapperOptions {
  readonly port: number;
  /**
   * The remote instance name the local CAS serves (its config's `instance_name`), passed to Bazel as
   * `--remote_instance_name`: without it Bazel asks for the unnamed instance, every cache call fails, and the build
   * runs uncached.
   */
  readonly instanceName: string;
  /** File name of the NativeLink config, next to the wrapper in tools/. */
  readonly configFileName: string;
}

export function bazelWrapperScript({ port, instanceName, configFileName }: WrapperOptions): string {
  const problem = instanceNameProblem(instanceName);
  if (problem) throw new UsageError(`the remote instance name ${problem}`);
  return `#!/usr/bin/env bash
# tools/bazel, written by \`nativelink-aws local-proxy init\`. Bazel runs this file instead of itself.
# It starts a local NativeLink CAS (tools/${configFileName}) that talks to the deployment's S3 bucket
# directly, unless one is already running, then runs the real Bazel with --remote_cache on localhost and the
# CAS's instance name (--remote_instance_name).
# The CAS uses the default AWS credential chain (AWS_PROFILE, ...); its log is in the state directory.
set -euo pipefail

port=${port}
instance_name='${instanceName}'
tools_dir="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
config="$tools_dir/${configFileName}"
state_dir="\${NATIVELINK_LOCAL_CAS_STATE_DIR:-\${XDG_CACHE_HOME:-$HOME/.cache}/nativelink-aws}"
pid_file="$state_dir/local-cas-$port.pid"
log_file="$state_dir/local-cas-$port.log"
nativelink="\${NATIVELINK_BIN:-nativelink}"
cache_commands=" ${CACHE_COMMANDS.join(" ")} "

port_open() {
  # bash's /dev/tcp: no nc or curl needed.
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# A CAS this wrapper started that is still starting up (alive, its command line names our config).
proxy_starting() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid="$(cat "$pid_file")"
  kill -0 "$pid" 2>/dev/null || return 1
  ps -o args= -p "$pid" 2>/dev/null | grep -qF -- "$config"
}

wait_for_port() {
  local pid="$1" tries
  for ((tries = 0; tries < 100; tries++)); do
    port_open && return 0
    # Another wrapper may have won the race for the port: then its CAS serves us too.
    kill -0 "$pid" 2>/dev/null || { port_open && return 0; echo "tools/bazel: the local CAS exited; see $log_file" >&2; exit 1; }
    sleep 0.1
  done
  echo "tools/bazel: the local CAS did not listen on port $port within 10 s; see $log_file" >&2
  exit 1
}

ensure_proxy() {
  port_open && return 0
  if proxy_starting; then wait_for_port "$(cat "$pid_file")"; return 0; fi
  if ! command -v "$nativelink" >/dev/null 2>&1; then
    echo "tools/bazel: '$nativelink' not found: install NativeLink (https://github.com/TraceMachina/nativelink/releases) or set NATIVELINK_BIN" >&2
    exit 1
  fi
  mkdir -p "$state_dir"
  # Background jobs of a script ignore Ctrl-C, and nohup keeps the CAS alive when the terminal closes:
  # it outlives this Bazel command and serves the next ones.
  nohup "$nativelink" "$config" >>"$log_file" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$pid_file"
  echo "tools/bazel: started the local CAS on port $port (pid $pid, log $log_file)" >&2
  wait_for_port "$pid"
}

real_bazel() {
  if [[ -n "\${BAZEL_REAL:-}" ]]; then echo "$BAZEL_REAL"; return 0; fi
  local candidate
  while IFS= read -r candidate; do
    [[ "$candidate" -ef "\${BASH_SOURCE[0]}" ]] || { echo "$candidate"; return 0; }
  done < <(type -ap bazel)
  echo "tools/bazel: no bazel on PATH other than this wrapper; install Bazel or Bazelisk" >&2
  exit 1
}

args=("$@")
# Startup options (--output_base=..., ...) come before the command.
command_index=0
while ((command_index < \${#args[@]})) && [[ "\${args[command_index]}" == -* ]]; do command_index=$((command_index + 1)); done
if ((command_index < \${#args[@]})) && [[ "$cache_commands" == *" \${args[command_index]} "* ]]; then
  ensure_proxy
  args=("\${args[@]:0:command_index+1}" "--remote_cache=grpc://localhost:$port" "--remote_instance_name=$instance_name" "\${args[@]:command_index+1}")
fi
bazel="$(real_bazel)"
# Bazelisk would otherwise run this wrapper again.
export BAZELISK_SKIP_WRAPPER=1
exec "$bazel" \${args[@]+"\${args[@]}"}
`;
}
