"""Writes lr-3-features.onnx, the tiny fixture OnnxClassifierTest scores: a logistic regression
with known weights, as an external tool would export it (MatMul -> Add -> Sigmoid, then both class
probabilities). Run with Debian's python3-onnx 1.12:  /usr/bin/python3 make_lr_fixture.py
Expected probabilities for the test's rows are computed here and written beside the model.
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

W = np.array([[0.8], [-0.5], [0.25]], dtype=np.float32)
B = np.array([-0.1], dtype=np.float32)

nodes = [
    helper.make_node("MatMul", ["features", "W"], ["xw"]),
    helper.make_node("Add", ["xw", "B"], ["logit"]),
    helper.make_node("Sigmoid", ["logit"], ["p1"]),
    helper.make_node("Sub", ["one", "p1"], ["p0"]),
    helper.make_node("Concat", ["p0", "p1"], ["probabilities"], axis=1),
]
graph = helper.make_graph(
    nodes, "lr",
    [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", 3])],
    [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 2])],
    initializer=[numpy_helper.from_array(W, "W"), numpy_helper.from_array(B, "B"),
                 numpy_helper.from_array(np.array([1.0], dtype=np.float32), "one")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="medmaas-fixture")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, "lr-3-features.onnx")

rows = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-2.0, 1.0, 0.5]], dtype=np.float32)
p1 = 1 / (1 + np.exp(-(rows @ W + B)))
print("expected p1:", [float(v) for v in p1.ravel()])
