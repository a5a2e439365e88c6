"""The peer most teams would deploy instead of MedMaaS: FastAPI + uvicorn + scikit-learn/xgboost.

Trains the same three learners on the same CSV at start-up (median imputation, standard scaling for
LR and the MLP; XGBoost takes missing values itself) and serves one route per model taking a record of
named fields, validated by pydantic, as a typical FastAPI service does. No authentication and no
audit: that is what the peer lacks, and it is still the baseline we must beat.

Usage (run-load.sh starts it): MEDMAAS_PEER_DATA=pima.csv python3 -m uvicorn fastapi_peer:app --workers 2
"""
import numpy as np
from fastapi import FastAPI

from peer_models import PredictRequest, features, models

app = FastAPI()


@app.post("/predict/{name}")
def predict(name: str, request: PredictRequest):
    row = np.array([[np.nan if getattr(request.record, f) is None else getattr(request.record, f) for f in features]])
    p = float(models[name].predict_proba(row)[0, 1])
    return {"model": name, "probabilities": {"false": 1 - p, "true": p}, "label": "true" if p >= 0.5 else "false"}


@app.get("/health")
def health():
    return {"ready": True}
