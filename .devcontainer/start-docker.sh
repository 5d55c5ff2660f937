#!/bin/sh
# The dev container's entrypoint (see Dockerfile): starts the container's own
# Docker Engine, waits until it answers, then runs the container's command.
# It runs as root, before anyone opens a terminal; the container must run
# privileged (runArgs in devcontainer.json), as every engine in a container must.
set -eu

# dockerd skips AppArmor in a container that says it is one: it could not load
# its profile here (an Ubuntu host, such as a codespace's, has AppArmor on).
export container=docker

# On a cgroup v2 host (Codespaces, Docker Desktop): move this container's
# processes into a child group, so that dockerd may hand the CPU and memory
# controllers on to its containers (the kernel lets no group both hold
# processes and delegate controllers). The same steps as moby's hack/dind.
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  mkdir -p /sys/fs/cgroup/init
  xargs -rn1 < /sys/fs/cgroup/cgroup.procs > /sys/fs/cgroup/init/cgroup.procs 2> /dev/null || :
  sed -e 's/ / +/g' -e 's/^/+/' < /sys/fs/cgroup/cgroup.controllers > /sys/fs/cgroup/cgroup.subtree_control
fi

# A container stopped in the middle (a codespace that timed out) leaves the pid
# files behind, and dockerd would not start over them. Its data is safe on the
# volume at /var/lib/docker.
rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid

# The label is how `npm run doctor` knows this engine (scripts/doctor-engine.ts).
dockerd --label stockroom.dev-container=true > /var/log/dockerd.log 2>&1 &

# Ready means the engine answers (`docker version` fails until it does).
tries=0
until docker version --format '{{.Server.Version}}' > /dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -gt 300 ]; then
    echo "start-docker: dockerd did not answer within 60 s. Its log, /var/log/dockerd.log, ends with:" >&2
    tail -n 20 /var/log/dockerd.log >&2
    exit 1
  fi
  sleep 0.2
done
exec "$@"
