"""The strongest Python service a team would deploy in MedMaaS's place, with the same duties.

Same models as fastapi_peer.py (peer_models.py: scikit-learn / xgboost, trained on the CSV at start-up), and
what MedMaaS does on every prediction: a bearer-key check (SHA-256 of the key against the stored
hash, constant-time) and a hash-chained audit entry forced to disk before the answer. The audit is
group-committed: each worker's writer task takes every entry waiting, appends them, fsyncs once in
a thread, and only then releases their answers, so concurrent requests share one fsync (as
MedMaaS's audit journal does) instead of paying one each.

Settings, from the environment (run-serving-peer.sh tries them and keeps the fastest):
  MEDMAAS_PEER_DATA   the training CSV (target column "diabetes")
  MEDMAAS_PEER_KEY    the bearer key requests must carry
  MEDMAAS_PEER_AUDIT  a directory for the audit files (one per worker process)
  PEER_VALIDATION     pydantic (FastAPI request models) or manual (dict checks on the parsed JSON)
  PEER_JSON           json (the standard library) or ujson
Served by uvicorn, e.g.: uvicorn strong_peer:app --workers 1 --loop uvloop --http httptools
"""
import asyncio
import hashlib
import hmac
import os
import time

import numpy as np
from fastapi import FastAPI, Request
from fastapi.responses import Response

from peer_models import PredictRequest, features, models

if os.environ.get("PEER_JSON", "json") == "ujson":
    import ujson as jsonlib
else:
    import json as jsonlib

KEY_HASH = hashlib.sha256(os.environ["MEDMAAS_PEER_KEY"].encode()).digest()
PYDANTIC = os.environ.get("PEER_VALIDATION", "pydantic") == "pydantic"


class Audit:
    """Hash-chained, group-committed, fsynced audit log of one worker process."""

    def __init__(self, directory):
        os.makedirs(directory, exist_ok=True)
        self.file = open(os.path.join(directory, f"audit-{os.getpid()}.jsonl"), "ab", buffering=0)
        self.previous = "0" * 64
        self.pending = []
        self.wakeup = None

    async def append(self, entry):
        if self.wakeup is None:
            self.wakeup = asyncio.Event()
            asyncio.get_running_loop().create_task(self._writer())
        done = asyncio.get_running_loop().create_future()
        self.pending.append((entry, done))
        self.wakeup.set()
        await done

    async def _writer(self):
        loop = asyncio.get_running_loop()
        while True:
            await self.wakeup.wait()
            self.wakeup.clear()
            batch, self.pending = self.pending, []
            if not batch:
                continue
            try:
                lines = []
                for entry, _ in batch:
                    entry["previous"] = self.previous
                    line = jsonlib.dumps(entry, sort_keys=True)
                    self.previous = hashlib.sha256(line.encode()).hexdigest()
                    lines.append(line + "\n")
                await loop.run_in_executor(None, self._write_and_sync, "".join(lines).encode())
                failure = None
            except Exception as e:  # the batch fails (500s), the writer lives on
                failure = e
            for _, done in batch:
                if not done.done():
                    if failure is None:
                        done.set_result(None)
                    else:
                        done.set_exception(failure)

    def _write_and_sync(self, payload):
        self.file.write(payload)
        os.fsync(self.file.fileno())


audit = Audit(os.environ["MEDMAAS_PEER_AUDIT"])
app = FastAPI()


def authorized(request: Request):
    header = request.headers.get("authorization", "")
    return header.startswith("Bearer ") and hmac.compare_digest(hashlib.sha256(header[7:].encode()).digest(), KEY_HASH)


def answer(status, body):
    return Response(content=jsonlib.dumps(body), status_code=status, media_type="application/json")


async def respond(request: Request, name: str, values):
    """Scores a row of feature values (None for missing), audits, answers."""
    if name not in models:
        await audit.append({"at": time.time(), "route": "predict", "model": name, "status": 404})
        return answer(404, {"detail": "no such model"})
    row = np.array([[np.nan if v is None else v for v in values]], dtype=float)
    p = float(models[name].predict_proba(row)[0, 1])
    await audit.append({"at": time.time(), "route": "predict", "model": name, "status": 200})
    return answer(200, {"model": name, "probabilities": {"false": 1 - p, "true": p}, "label": "true" if p >= 0.5 else "false"})


if PYDANTIC:
    @app.post("/predict/{name}")
    async def predict(name: str, body: PredictRequest, request: Request):
        if not authorized(request):
            await audit.append({"at": time.time(), "route": "predict", "model": name, "status": 401})
            return answer(401, {"detail": "unauthorized"})
        return await respond(request, name, [getattr(body.record, f) for f in features])
else:
    @app.post("/predict/{name}")
    async def predict(name: str, request: Request):
        if not authorized(request):
            await audit.append({"at": time.time(), "route": "predict", "model": name, "status": 401})
            return answer(401, {"detail": "unauthorized"})
        try:
            record = jsonlib.loads(await request.body())["record"]
            values = [record.get(f) for f in features]
            if any(v is not None and not isinstance(v, (int, float)) for v in values):
                raise ValueError
        except (ValueError, KeyError, TypeError, AttributeError):
            await audit.append({"at": time.time(), "route": "predict", "model": name, "status": 422})
            return answer(422, {"detail": "record: numbers or null for " + ", ".join(features)})
        return await respond(request, name, values)


@app.get("/health")
async def health():
    return answer(200, {"ready": True})
