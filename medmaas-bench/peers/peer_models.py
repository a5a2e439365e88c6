"""What both Python peers serve: the three learners trained on the CSV at start-up, and the request
model FastAPI validates. MEDMAAS_PEER_DATA names the CSV (target column "diabetes")."""
import os
from typing import Optional

import pandas as pd
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
    # The same shape as MedMaaS's gbt defaults (100 rounds of depth 3): the peer scores no deeper trees than ours.
    "gbt": XGBClassifier(n_estimators=100, max_depth=3, learning_rate=0.1, n_jobs=1).fit(X, y),
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
