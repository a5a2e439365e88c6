"""The peer most teams would deploy instead of MedMaaS: FastAPI + uvicorn + scikit-learn/xgboost.

Trains the same three learners on the same CSV at start-up (median imputation, standard scaling for
LR and the MLP; XGBoost takes missing values itself) and serves one route per model taking a record of
named fields, validated by pydantic, as a typical FastAPI service does. No authentication and no
audit: that is what the peer lacks, and it is still the baseline we must beat.

Usage (run-load.sh starts it): MEDMAAS_PEER_DATA=pima.csv python3 -m uvicorn fastapi_peer:app --workers 2
"""
import os
from typing import Optional

import numpy as np
import pandas as pd
from fastapi import FastAPI
from pydantic import BaseModel
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier

data = pd.read_csv(os.environ["MEDMAAS_PEER_DATA"])
target = "diabetes"
features = [c for c in data.columns if c != target]
X = data[features].to_numpy(dtype=float)
y = data[target].astype(str).map({"true": 1, "false": 0, "True": 1, "False": 0}).to_numpy()

models = {
    "lr": make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, y),
    "gbt": XGBClassifier(n_estimators=100, max_depth=6, n_jobs=1).fit(X, y),
    "mlp": make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                         MLPClassifier(hidden_layer_sizes=(64, 64), max_iter=500, random_state=1)).fit(X, y),
}


class Record(BaseModel):
    pregnant: Optional[float]
    glucose: Optional[float]
    pressure: Optional[float]
    triceps: Optional[float]
    insulin: Optional[float]
    mass: Optional[float]
    pedigree: Optional[float]
    age: Optional[float]


class PredictRequest(BaseModel):
    record: Record


app = FastAPI()


@app.post("/predict/{name}")
def predict(name: str, request: PredictRequest):
    row = np.array([[np.nan if getattr(request.record, f) is None else getattr(request.record, f) for f in features]])
    p = float(models[name].predict_proba(row)[0, 1])
    return {"model": name, "probabilities": {"false": 1 - p, "true": p}, "label": "true" if p >= 0.5 else "false"}


@app.get("/health")
def health():
    return {"ready": True}
