"""Words several demos show a learner (axis labels, legends, column headers, metric labels), in
English and Chinese side by side, with d2l-zh's terms. A word only one demo uses stays in that
demo; every front end picks the language with `dlref.i18n.pick`.
"""

from __future__ import annotations

from dlref.i18n import Text, pick

ACCURACY = {"en": "accuracy", "zh": "准确率"}
CLASS = {"en": "class", "zh": "类别"}
DEGREE = {"en": "degree", "zh": "阶数"}
DIVERGED = {"en": "diverged", "zh": "发散"}  # a metric: 1 when it did, else 0
EPOCH = {"en": "epoch", "zh": "迭代周期"}
FEATURE = {"en": "feature", "zh": "特征"}
INPUT = {"en": "input", "zh": "输入"}
LAYER = {"en": "layer", "zh": "层"}
LOSS = {"en": "loss", "zh": "损失"}
MEAN = {"en": "mean", "zh": "均值"}
STEP = {"en": "step", "zh": "步数"}
TARGET = {"en": "target", "zh": "目标"}
THRESHOLD = {"en": "threshold", "zh": "阈值"}
VALUE = {"en": "value", "zh": "值"}
OUT_H = {"en": "output height", "zh": "输出高度"}
OUT_W = {"en": "output width", "zh": "输出宽度"}
# training practice and attention/Transformer
BATCH_NORM = {"en": "batch norm", "zh": "批量规范化"}
CONFIDENCE = {"en": "confidence", "zh": "置信度"}
GRAD_NORM = {"en": "gradient norm", "zh": "梯度范数"}
KEY = {"en": "key", "zh": "键"}
LAYER_NORM = {"en": "layer norm", "zh": "层规范化"}
LEARNING_RATE = {"en": "learning rate", "zh": "学习率"}
PARAMETERS = {"en": "parameters", "zh": "参数量"}
POSITION = {"en": "position", "zh": "位置"}
PRECISION = {"en": "precision", "zh": "精确率"}
QUERY = {"en": "query", "zh": "查询"}
RECALL = {"en": "recall", "zh": "召回率"}
RESIDUAL = {"en": "residual", "zh": "残差连接"}
SAMPLE = {"en": "sample", "zh": "样本"}
SCORE = {"en": "score", "zh": "得分"}
STD = {"en": "std", "zh": "标准差"}
TRAINING = {"en": "training", "zh": "训练"}
TRAINING_LOSS = {"en": "training loss", "zh": "训练损失"}
VALIDATION = {"en": "validation", "zh": "验证"}
VALIDATION_LOSS = {"en": "validation loss", "zh": "验证损失"}
WEIGHT = {"en": "weight", "zh": "权重"}
# Names of choice-knob values several demos offer (`Knob.choice_labels`); activations as d2l
# and PyTorch's nn classes write them.
ACTIVATION_NAMES = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU",
                    "leaky_relu": "LeakyReLU", "elu": "ELU", "prelu": "PReLU", "gelu": "GELU",
                    "silu": "SiLU"}
INIT_NAMES = {"normal": {"en": "normal", "zh": "正态分布"}, "xavier": "Xavier",
              "kaiming": "Kaiming"}


def chosen(name: Text) -> dict[str, str]:
    """A legend entry for the curve the knobs chose: `mse (chosen)` / `mse（当前选择）`."""
    return {"en": f"{pick(name, 'en')} (chosen)", "zh": f"{pick(name, 'zh')}（当前选择）"}
