#!/usr/bin/env bash
# Build the image and check that it serves the seeds with no network at all.
#
#   bash scripts/container-smoke.sh                 # needs a running Docker daemon
#   DOCKER_BUILD_FLAGS="--network host --build-arg TORCH_INDEX_URL=https://pypi.org/simple \
#     --build-arg TORCH_FIND_LINKS=http://127.0.0.1:8765/" bash scripts/container-smoke.sh
#
# The container runs with --network none (so the model and index must be in the image and
# HF_HUB_OFFLINE must hold), and is probed from inside with `docker exec`, so no port needs to be
# published. Checks: /health is 200, the process is not root, POST /ask answers the ICT-revenue
# question with «trên 1,9 triệu tỷ đồng» and returns passages for the VNeID question; prints the
# build time, the time from `docker run` to a healthy /health, the answer latencies and the image
# size. Not part of `make test` (a cold build downloads ~1.5 GB); tests/test_container.py checks
# the files themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=${IMAGE:-vnqa-smoke}
NAME=vnqa-smoke-$$

docker info >/dev/null 2>&1 || { echo "container-smoke: no Docker daemon reachable" >&2; exit 2; }

t0=$(date +%s)
# shellcheck disable=SC2086  # DOCKER_BUILD_FLAGS is a list of flags
docker build ${DOCKER_BUILD_FLAGS:-} -t "$IMAGE" .
echo "container-smoke: build took $(( $(date +%s) - t0 )) s"

trap 'docker rm -f "$NAME" >/dev/null 2>&1 || true' EXIT
t1=$(date +%s.%N)
docker run -d --name "$NAME" --network none "$IMAGE" >/dev/null

uid=$(docker exec "$NAME" id -u)
[ "$uid" != 0 ] || { echo "container-smoke: the service runs as root" >&2; exit 1; }

docker exec -i -e T1="$t1" "$NAME" python - <<'EOF'
import json, os, sys, time, urllib.error, urllib.request

base = "http://127.0.0.1:8000"
deadline = time.time() + 180
while True:
    try:
        with urllib.request.urlopen(base + "/health", timeout=3) as r:
            health = json.loads(r.read())
            break
    except (urllib.error.URLError, ConnectionError, OSError):
        if time.time() > deadline:
            sys.exit("container-smoke: /health never answered 200")
        time.sleep(0.2)
print(f"container-smoke: docker run -> /health 200 in {time.time() - float(os.environ['T1']):.1f} s: {health}")

def ask(question):
    req = urllib.request.Request(base + "/ask", data=json.dumps({"question": question, "top_k": 3}).encode(),
                                 headers={"Content-Type": "application/json"})
    t = time.time()
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 200, r.status
        body = json.loads(r.read())
    answer = body["answer"]["text"] if body["answer"] else None
    print(f"container-smoke: {question!r} -> {answer!r}, {len(body['passages'])} passages, "
          f"{(time.time() - t) * 1000:.0f} ms")
    return body

body = ask("Doanh thu công nghiệp ICT 6 tháng đầu năm 2024 ước đạt bao nhiêu?")
assert body["answer"] and "1,9 triệu tỷ" in body["answer"]["text"], body["answer"]
body = ask("bao nhiêu tài khoản VNeID?")
assert body["passages"] and "VNeID" in body["passages"][0]["text"], body["passages"][:1]
EOF

echo "container-smoke: image $IMAGE is $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.2f GB", $1/1e9}')"
echo "container-smoke: OK"
