"""Questions on training in practice: minibatches and epochs, model selection, early stopping,
learning-rate schedules, AdamW, data augmentation, transfer learning, accuracy, label
smoothing, one-hot encoding, saddle points and the multilayer perceptron.

Answers come from dlref.nn (schedules, AdamW, early_stopping, kfold_indices, the augmentations,
cross_entropy with label_smoothing, accuracy, one_hot, linear_num_params …); only quantities
with no kernel (a mean of scores, a Hessian's eigenvalues, a count of crop positions) are plain
arithmetic or NumPy.
"""

from __future__ import annotations

import math

import numpy as np

from dlref import nn
from dlref.quiz.draw import clean, draw, draws, floats, mat, pick, show, trap, vec
from dlref.quiz.draw import paren as _p
from dlref.quiz.questions import Question, template


def _semi(text: str) -> str:
    """English clause separators as the Chinese solutions write them."""
    return text.replace("; ", "；")


# --- minibatch SGD ------------------------------------------------------------------------

_NS = [500, 1000, 1200, 2000, 2500, 5000, 10000, 50000, 60000]
_BS = [16, 32, 64, 100, 128, 256]


@template("minibatch-sgd", "iterations-per-epoch")
def minibatch_iterations(rng) -> Question:
    n, b, drop = pick(rng, _NS), pick(rng, _BS), bool(rng.random() < 0.5)
    k = nn.iterations_per_epoch(n, b, drop_last=drop)
    full, rest = divmod(n, b)
    if drop:
        work_en = (f"⌊N/B⌋ = ⌊{n}/{b}⌋ = {k}" + (f" (the last {rest} examples are dropped)"
                                                  if rest else " (no partial batch)"))
        work_zh = (f"⌊N/B⌋ = ⌊{n}/{b}⌋ = {k}" + (f"（最后 {rest} 个样本被丢弃）" if rest
                                                  else "（没有不完整的批量）"))
    else:
        work_en = (f"⌈N/B⌉ = ⌈{n}/{b}⌉ = {k}" + (f" ({full} full batches and one of {rest})"
                                                  if rest else " (no partial batch)"))
        work_zh = (f"⌈N/B⌉ = ⌈{n}/{b}⌉ = {k}" + (f"（{full} 个完整批量加一个 {rest} 个样本的批量）"
                                                  if rest else "（没有不完整的批量）"))
    flag = "True" if drop else "False"
    return Question(
        "minibatch-sgd", "iterations-per-epoch",
        prompt={"en": f"N = {n} training examples, batch size B = {b}, DataLoader "
                      f"drop_last={flag}. Iterations (parameter updates) per epoch?",
                "zh": f"N = {n} 个训练样本，批量大小 B = {b}，DataLoader drop_last={flag}。"
                      f"每个迭代周期有多少次迭代（参数更新）？"},
        answer=float(k), decimals=0,
        solution={"en": work_en, "zh": work_zh},
        traps=[
            trap(full if not drop else -(-n // b),
                 "drop_last read the wrong way round", "把 drop_last 的含义弄反了"),
        ],
    )


@template("minibatch-sgd", "total-updates")
def minibatch_total_updates(rng) -> Question:
    n, b = pick(rng, _NS), pick(rng, _BS)
    epochs = int(rng.integers(2, 31))
    k = nn.iterations_per_epoch(n, b)
    total = epochs * k
    work = f"⌈{n}/{b}⌉ = {k} per epoch; {epochs}·{k} = {total}"
    return Question(
        "minibatch-sgd", "total-updates",
        prompt={"en": f"Training for E = {epochs} epochs on N = {n} examples with batch size "
                      f"B = {b} (last partial batch kept). Total parameter updates?",
                "zh": f"在 N = {n} 个样本上训练 E = {epochs} 个迭代周期，批量大小 B = {b}"
                      f"（保留最后一个不完整的批量）。总共更新多少次参数？"},
        answer=float(total), decimals=0,
        solution={"en": f"updates = E·⌈N/B⌉: {work}",
                  "zh": f"更新次数 = E·⌈N/B⌉：{_semi(work).replace('per epoch', '次/迭代周期')}"},
        traps=[
            trap(float(total // epochs), "one epoch only", "只算了一个迭代周期"),
            trap(float(epochs * (n // b)), "⌊N/B⌋ per epoch: the last partial batch is kept",
                 "每个迭代周期都按 ⌊N/B⌋ 算了：最后不完整的批量会保留"),
        ],
    )


@template("minibatch-sgd", "minibatch-step")
def minibatch_step(rng) -> Question:
    b = int(rng.integers(2, 5))
    gs = draws(rng, b, -3.0, 3.0)
    w0, lr = draw(rng, -2.0, 2.0), pick(rng, [0.05, 0.1, 0.2, 0.5])
    g = float(np.mean(gs))
    w = np.array([w0])
    nn.SGD([w], lr=lr).step([[g]])
    w1 = float(w[0])
    terms = " + ".join(_p(v) for v in gs)
    work = (f"ĝ = ({terms})/{b} = {show(g)}; w − η·ĝ = {show(w0)} − {show(lr)}·{_p(g)} = "
            f"{show(w1)}")
    return Question(
        "minibatch-sgd", "minibatch-step",
        prompt={"en": f"Minibatch SGD, w = {show(w0)}, learning rate η = {show(lr)}. The "
                      f"{b} examples of the batch have gradients {vec(gs)}. w after the step?",
                "zh": f"小批量随机梯度下降，w = {show(w0)}，学习率 η = {show(lr)}。这个小批量的 "
                      f"{b} 个样本的梯度为 {vec(gs)}。更新一步后 w 是多少？"},
        answer=clean(w1), decimals=3,
        solution={"en": f"the minibatch gradient is the mean of the per-example gradients: "
                        f"{work}",
                  "zh": f"小批量梯度是各样本梯度的平均值：{_semi(work)}"},
        traps=[
            trap(w0 - lr * float(np.sum(gs)), "the gradients summed, not averaged",
                 "把梯度相加了，而不是求平均"),
        ],
    )


@template("minibatch-sgd", "noise-scale")
def minibatch_noise(rng) -> Question:
    sigma = pick(rng, [0.4, 0.8, 1.2, 2.0, 3.0, 6.0])
    b1 = pick(rng, [1, 4, 8, 16, 32])
    b2 = b1 * pick(rng, [2, 4, 8, 16])
    s2 = sigma * math.sqrt(b1 / b2)
    work = f"σ·√(B₁/B₂) = {show(sigma)}·√({b1}/{b2}) = {show(s2)}"
    return Question(
        "minibatch-sgd", "noise-scale",
        prompt={"en": f"With batch size B₁ = {b1} the minibatch gradient has standard deviation "
                      f"σ = {show(sigma)} around the full-batch gradient (N large). Its standard "
                      f"deviation with B₂ = {b2}?",
                "zh": f"批量大小 B₁ = {b1} 时，小批量梯度围绕全批量梯度的标准差为 σ = "
                      f"{show(sigma)}（N 很大）。批量大小 B₂ = {b2} 时标准差是多少？"},
        answer=clean(s2), decimals=3,
        solution={"en": f"the mean of B independent gradients has spread ∝ 1/√B: {work} "
                        f"({b2 // b1}× the batch, 1/√{b2 // b1} of the noise)",
                  "zh": f"B 个独立梯度的平均值，其标准差 ∝ 1/√B：{work}（批量变为 {b2 // b1} 倍，"
                        f"噪声变为 1/√{b2 // b1}）"},
        traps=[
            trap(sigma * b1 / b2, "σ·B₁/B₂: the spread falls like 1/√B, not 1/B",
                 "算成了 σ·B₁/B₂：标准差按 1/√B 下降，而不是 1/B"),
        ],
    )


# --- model selection ----------------------------------------------------------------------


@template("model-selection", "kfold-fits")
def model_selection_fits(rng) -> Question:
    k = int(rng.integers(3, 11))
    grid = [int(rng.integers(2, 6)), int(rng.integers(2, 5))]
    folds = nn.kfold_indices(10 * k, k)
    configs = grid[0] * grid[1]
    fits = configs * len(folds) + 1
    work = (f"{grid[0]}·{grid[1]} = {configs} settings; {configs}·{k} = {configs * k} fits; "
            f"+ 1 refit = {fits}")
    work_zh = (f"{grid[0]}·{grid[1]} = {configs} 个设置；{configs}·{k} = {configs * k} 次训练；"
               f"再加 1 次重新训练 = {fits}")
    return Question(
        "model-selection", "kfold-fits",
        prompt={"en": f"Grid search over {grid[0]} learning rates × {grid[1]} weight decays with "
                      f"{k}-fold cross-validation, then one final fit of the best setting on "
                      f"all the training data. How many models are trained?",
                "zh": f"网格搜索 {grid[0]} 个学习率 × {grid[1]} 个权重衰减值，使用 {k} 折交叉"
                      f"验证，最后用最佳设置在全部训练数据上再训练一次。一共训练多少个模型？"},
        answer=float(fits), decimals=0,
        solution={"en": f"each setting is trained once per fold: {work}",
                  "zh": f"每个设置在每一折上各训练一次：{work_zh}"},
        traps=[
            trap(float(fits - 1), "the final fit on all the data left out",
                 "漏了最后在全部数据上的那次训练"),
        ],
    )


@template("model-selection", "fold-sizes")
def model_selection_fold_sizes(rng) -> Question:
    k = int(rng.integers(3, 8))
    n = int(rng.integers(3 * k, 60))
    folds = nn.kfold_indices(n, k)
    sizes = [len(v) for _, v in folds]
    first, last = sizes[0], sizes[-1]
    q, r = divmod(n, k)
    extra_en = "the first fold holds" if r == 1 else f"the first {r} folds hold"
    extra_zh = f"第 1 折 {q + 1} 个" if r == 1 else f"前 {r} 折各 {q + 1} 个"
    work = (f"{n} = {k}·{q} + {r}: {extra_en} {q + 1}, the others {q}"
            if r else f"{n} = {k}·{q}: every fold holds {q}")
    work_zh = (f"{n} = {k}·{q} + {r}：{extra_zh}，其余各 {q} 个"
               if r else f"{n} = {k}·{q}：每折 {q} 个")
    return Question(
        "model-selection", "fold-sizes",
        prompt={"en": f"KFold(n_splits={k}) without shuffling on N = {n} samples. Sizes of the "
                      f"first and the last validation fold?",
                "zh": f"对 N = {n} 个样本做不打乱的 KFold(n_splits={k})。第一折和最后一折的验证集"
                      f"各有多少个样本？"},
        answer=[float(first), float(last)], kind="vector", decimals=0,
        solution={"en": f"{work}; each sample is validated exactly once",
                  "zh": f"{work_zh}；每个样本恰好被验证一次"},
        traps=[
            trap([q, q + r], "the remainder all put in the last fold: KFold gives one more "
                 "to each of the first N mod k folds",
                 "把余数全放进了最后一折：KFold 让前 N mod k 折各多一个样本"),
            trap([q, q], "⌊N/k⌋ for every fold: the first N mod k folds hold one more",
                 "每折都按 ⌊N/k⌋ 算了：前 N mod k 折各多一个样本"),
        ],
    )


@template("model-selection", "cv-estimate")
def model_selection_cv(rng) -> Question:
    k = int(rng.integers(3, 7))
    a = draws(rng, k, 0.10, 0.40, decimals=2)
    b = draws(rng, k, 0.10, 0.40, decimals=2)
    ma, mb = float(np.mean(a)), float(np.mean(b))
    best = "A" if ma <= mb else "B"
    ans = min(ma, mb)
    return Question(
        "model-selection", "cv-estimate",
        prompt={"en": f"{k}-fold validation errors of setting A: {vec(a)}; of setting B: "
                      f"{vec(b)}. The cross-validation error of the setting you would pick?",
                "zh": f"{k} 折交叉验证中，设置 A 的各折验证误差为 {vec(a)}，设置 B 的为 {vec(b)}。"
                      f"你会选的那个设置的交叉验证误差是多少？"},
        answer=clean(ans), decimals=3,
        solution={"en": f"CV error = mean over folds: A {show(ma)}, B {show(mb)}; pick {best} "
                        f"({show(ans)}), then report a test set's error, not this one",
                  "zh": f"交叉验证误差 = 各折平均：A 为 {show(ma)}，B 为 {show(mb)}；选 {best}"
                        f"（{show(ans)}），最终报告测试集上的误差，而不是这个值"},
        traps=[
            trap(max(ma, mb), "the worse setting's error: pick the lower mean",
                 "给出了较差设置的误差：应选平均误差较低的"),
        ],
    )


@template("model-selection", "split-sizes")
def model_selection_split(rng) -> Question:
    n = pick(rng, [1000, 2000, 5000, 8000, 10000, 20000, 50000])
    train, val = pick(rng, [(0.6, 0.2), (0.7, 0.15), (0.8, 0.1), (0.7, 0.2), (0.8, 0.15)])
    n_train, n_val = round(n * train), round(n * val)
    n_test = n - n_train - n_val
    test = round(1 - train - val, 2)
    return Question(
        "model-selection", "split-sizes",
        prompt={"en": f"N = {n} examples split {show(train)} / {show(val)} / {show(test)} into "
                      f"training, validation and test sets. Their sizes?",
                "zh": f"把 N = {n} 个样本按 {show(train)} / {show(val)} / {show(test)} 划分为"
                      f"训练集、"
                      f"验证集和测试集。三者各有多少个样本？"},
        answer=[float(n_train), float(n_val), float(n_test)], kind="vector", decimals=0,
        solution={"en": f"{n}·{show(train)} = {n_train}, {n}·{show(val)} = {n_val}, "
                        f"{n} − {n_train} − {n_val} = {n_test}; the validation set picks "
                        f"hyperparameters, the test set is touched once at the end",
                  "zh": f"{n}·{show(train)} = {n_train}，{n}·{show(val)} = {n_val}，"
                        f"{n} − {n_train} "
                        f"− {n_val} = {n_test}；验证集用来选超参数，测试集只在最后用一次"},
    )


# --- early stopping -----------------------------------------------------------------------


def _val_curve(rng) -> list[float]:
    """A validation-loss curve that falls, wobbles and rises (two decimals, 9–12 epochs)."""
    n = int(rng.integers(9, 13))
    low = int(rng.integers(2, n - 4))
    base = [round(0.9 - 0.08 * min(e, low) + 0.04 * max(0, e - low), 2) for e in range(n)]
    return [round(max(0.05, v + float(rng.choice([-0.03, -0.01, 0.0, 0.01, 0.03]))), 2)
            for v in base]


def _es_prompt(val: list[float], patience: int, extra_en: str = "",
               extra_zh: str = "") -> dict[str, str]:
    epochs = "1 epoch" if patience == 1 else f"{patience} epochs in a row"
    return {"en": f"Validation loss after epochs 1, 2, …: {vec(val)}. Early stopping with "
                  f"patience {patience}{extra_en} (stop after {epochs} without a new best).",
            "zh": f"第 1、2、… 个迭代周期后的验证损失：{vec(val)}。早停的耐心值为 {patience}"
                  f"{extra_zh}（连续 {patience} 个迭代周期没有刷新最优值就停止）。"}


@template("early-stopping", "stop-epoch")
def early_stopping_stop(rng) -> Question:
    val, patience = _val_curve(rng), int(rng.integers(1, 4))
    stop, best = nn.early_stopping(val, patience)
    prompt = _es_prompt(val, patience)
    fired = stop < len(val) - 1 or (stop - best) >= patience
    span_en = (f"epoch {stop + 1} brings" if stop == best + 1 else
               f"epochs {best + 2}…{stop + 1} bring")
    span_zh = (f"第 {stop + 1} 个迭代周期没有" if stop == best + 1 else
               f"第 {best + 2}…{stop + 1} 个迭代周期都没有")
    tail_en = (f"{span_en} no new best, so training stops after epoch {stop + 1}" if fired
               else f"patience never runs out: all {len(val)} epochs run")
    tail_zh = (f"{span_zh}刷新最优值，所以在第 {stop + 1} 个迭代周期后停止" if fired
               else f"耐心值始终没有用完：{len(val)} 个迭代周期全部跑完")
    return Question(
        "early-stopping", "stop-epoch",
        prompt={"en": prompt["en"] + " After which epoch does training stop?",
                "zh": prompt["zh"] + "训练在第几个迭代周期后停止？"},
        answer=float(stop + 1), decimals=0,
        solution={"en": f"best {show(val[best])} at epoch {best + 1}; {tail_en}",
                  "zh": f"最优值 {show(val[best])} 出现在第 {best + 1} 个迭代周期；{tail_zh}"},
        traps=[
            trap(float(best + 1), "the best epoch: training runs `patience` more epochs",
                 "给出了最佳迭代周期：训练还会再跑 patience 个迭代周期"),
        ],
    )


@template("early-stopping", "best-epoch")
def early_stopping_best(rng) -> Question:
    val, patience = _val_curve(rng), int(rng.integers(1, 4))
    stop, best = nn.early_stopping(val, patience)
    prompt = _es_prompt(val, patience, ", restore_best_weights", "，restore_best_weights")
    return Question(
        "early-stopping", "best-epoch",
        prompt={"en": prompt["en"] + " The weights of which epoch are kept?",
                "zh": prompt["zh"] + "最终保留的是第几个迭代周期的权重？"},
        answer=float(best + 1), decimals=0,
        solution={"en": f"training stops after epoch {stop + 1}; the lowest validation loss up "
                        f"to then is {show(val[best])} at epoch {best + 1}, and its weights are "
                        f"restored",
                  "zh": f"训练在第 {stop + 1} 个迭代周期后停止；此前最低的验证损失是第 {best + 1} "
                        f"个迭代周期的 {show(val[best])}，恢复它的权重"},
        traps=[
            trap(float(stop + 1), "the stopping epoch: restore_best_weights keeps the best one",
                 "给出了停止时的迭代周期：restore_best_weights 保留最佳的那个"),
        ],
    )


@template("early-stopping", "min-delta")
def early_stopping_min_delta(rng) -> Question:
    while True:
        val, patience = _val_curve(rng), int(rng.integers(2, 4))
        delta = pick(rng, [0.015, 0.025, 0.035])
        stop, best = nn.early_stopping(val, patience, min_delta=delta)
        any_drop, _ = nn.early_stopping(val, patience)  # every lower loss a new best
        if stop != any_drop:  # min_delta must matter
            break
    prompt = _es_prompt(val, patience, f", min_delta = {show(delta)}",
                        f"，min_delta = {show(delta)}")
    return Question(
        "early-stopping", "min-delta",
        prompt={"en": prompt["en"] + " An epoch counts as better only if its loss is below the "
                                     "best by more than min_delta. After which epoch does "
                                     "training stop?",
                "zh": prompt["zh"] + "只有比最优值低出 min_delta 以上才算改进。训练在第几个迭代"
                                     "周期后停止？"},
        answer=float(stop + 1), decimals=0,
        solution={"en": f"the last counted improvement is {show(val[best])} at epoch "
                        f"{best + 1}; later losses must drop below {show(val[best] - delta)}; "
                        f"{patience} epochs without that end training after epoch {stop + 1}",
                  "zh": f"最后一次计入的改进是第 {best + 1} 个迭代周期的 {show(val[best])}；"
                        f"之后的损失必须低于 {show(val[best] - delta)}；连续 {patience} 个迭代周期"
                        f"做不到，于是在第 {stop + 1} 个迭代周期后停止"},
        traps=[
            trap(float(any_drop + 1), "a drop smaller than min_delta counted as an improvement",
                 "把小于 min_delta 的下降也算作了改进"),
        ],
    )


# --- learning-rate schedules --------------------------------------------------------------

_LRS = [0.1, 0.2, 0.5, 1.0, 0.05, 0.3]


@template("learning-rate-schedule", "step")
def schedule_step(rng) -> Question:
    lr, size = pick(rng, _LRS), pick(rng, [10, 20, 30, 50])
    gamma = pick(rng, [0.1, 0.5, 0.2])
    t = int(rng.integers(0, 4 * size))
    value = nn.step_lr(t, lr, size, gamma)
    k = t // size
    work = (f"⌊{t}/{size}⌋ = {k}; {show(lr)}·{show(gamma)}^{k} = {show(value, 6)}")
    return Question(
        "learning-rate-schedule", "step",
        prompt={"en": f"StepLR(step_size={size}, gamma={show(gamma)}) on base learning rate "
                      f"{show(lr)}. The learning rate at step t = {t}?",
                "zh": f"StepLR(step_size={size}, gamma={show(gamma)})，基础学习率 {show(lr)}。"
                      f"第 t = {t} 步的学习率是多少？"},
        answer=clean(value), decimals=4,
        solution={"en": f"step decay η·γ^⌊t/step_size⌋: {work}",
                  "zh": f"阶梯衰减 η·γ^⌊t/step_size⌋：{_semi(work)}"},
        traps=[
            trap(lr * gamma ** (k + 1), "one decay too many: the first decay comes at step_size",
                 "多衰减了一次：第一次衰减发生在 step_size 处"),
        ],
    )


@template("learning-rate-schedule", "cosine")
def schedule_cosine(rng) -> Question:
    lr, total = pick(rng, _LRS), pick(rng, [50, 100, 200, 1000])
    eta_min = pick(rng, [0.0, 0.0, 0.001, 0.01])
    t = int(rng.integers(1, total))
    value = nn.cosine_annealing_lr(t, lr, total, eta_min)
    c = math.cos(math.pi * t / total)
    work = (f"cos(π·{t}/{total}) = {show(c, 6)}; {show(eta_min)} + ({show(lr)} − "
            f"{show(eta_min)})·(1 + {_p(c, 6)})/2 = {show(value)}")
    return Question(
        "learning-rate-schedule", "cosine",
        prompt={"en": f"CosineAnnealingLR(T_max={total}, eta_min={show(eta_min)}) on base "
                      f"learning rate {show(lr)}. The learning rate at step t = {t}?",
                "zh": f"CosineAnnealingLR(T_max={total}, eta_min={show(eta_min)})，基础学习率 "
                      f"{show(lr)}。第 t = {t} 步的学习率是多少？"},
        answer=clean(value), decimals=4,
        solution={"en": f"cosine annealing η_min + (η − η_min)·(1 + cos(π·t/T))/2: {work}",
                  "zh": f"余弦退火 η_min + (η − η_min)·(1 + cos(π·t/T))/2：{_semi(work)}"},
        traps=[
            trap(eta_min + (lr - eta_min) * c,
                 "cos(π·t/T) without the (1 + ·)/2: the factor falls from 1 to 0, not to −1",
                 "用了 cos(π·t/T)，漏了 (1 + ·)/2：倍数从 1 降到 0，而不是降到 −1"),
            trap(lr * (1 + c) / 2, "η_min left out: the cosine runs from η down to η_min",
                 "漏了 η_min：余弦从 η 降到 η_min"),
        ],
    )


@template("learning-rate-schedule", "warmup")
def schedule_warmup(rng) -> Question:
    lr, iters = pick(rng, _LRS), pick(rng, [5, 10, 20, 100, 500])
    start = pick(rng, [0.01, 0.1, 0.25, 1 / 3])
    t = int(rng.integers(0, iters + 1))
    value = nn.linear_lr(t, lr, start, 1.0, iters)
    factor = start + (1 - start) * t / iters
    start_text = "1/3" if start == 1 / 3 else show(start)
    work = (f"{start_text} + (1 − {start_text})·{t}/{iters} = {show(factor)}; "
            f"{show(lr)}·{show(factor)} = {show(value)}")
    return Question(
        "learning-rate-schedule", "warmup",
        prompt={"en": f"Linear warm-up LinearLR(start_factor={start_text}, end_factor=1, "
                      f"total_iters={iters}) on base learning rate {show(lr)}. The learning "
                      f"rate at step t = {t}?",
                "zh": f"线性预热 LinearLR(start_factor={start_text}, end_factor=1, total_iters="
                      f"{iters})，基础学习率 {show(lr)}。第 t = {t} 步的学习率是多少？"},
        answer=clean(value), decimals=4,
        solution={"en": f"factor s + (1 − s)·min(t, T)/T: {work}",
                  "zh": f"倍数 s + (1 − s)·min(t, T)/T：{_semi(work)}"},
        traps=[
            trap(lr * t / iters, "the ramp started from 0: LinearLR starts at start_factor·η",
                 "预热从 0 开始算了：LinearLR 从 start_factor·η 开始"),
            trap(start + (lr - start) * t / iters,
                 "start_factor read as a learning rate: it is a factor of η",
                 "把 start_factor 当成了学习率：它是 η 的倍数"),
        ],
    )


@template("learning-rate-schedule", "warmup-cosine")
def schedule_warmup_cosine(rng) -> Question:
    lr, warm = pick(rng, _LRS), pick(rng, [5, 10, 20, 50])
    total = warm + pick(rng, [40, 90, 100, 200])
    t = int(rng.integers(warm, total))
    value = nn.warmup_cosine_lr(t, lr, warm, total)
    c = math.cos(math.pi * (t - warm) / (total - warm))
    work = (f"t = {t} ≥ {warm}, cos(π·({t} − {warm})/({total} − {warm})) = {show(c, 6)}; "
            f"{show(lr)}·(1 + {_p(c, 6)})/2 = {show(value)}")
    return Question(
        "learning-rate-schedule", "warmup-cosine",
        prompt={"en": f"Warm-up for {warm} steps, then cosine decay to 0 at step {total} "
                      f"(SequentialLR of LinearLR and CosineAnnealingLR(T_max={total - warm})), "
                      f"peak learning rate {show(lr)}. The learning rate at step t = {t}?",
                "zh": f"先预热 {warm} 步，再用余弦衰减在第 {total} 步降到 0（LinearLR 与 "
                      f"CosineAnnealingLR(T_max={total - warm}) 组成的 SequentialLR），峰值学习率 "
                      f"{show(lr)}。第 t = {t} 步的学习率是多少？"},
        answer=clean(value), decimals=4,
        solution={"en": f"after the warm-up the cosine runs on t − w: {work}",
                  "zh": f"预热结束后，余弦按 t − w 计算：{_semi(work).replace(', cos', '，cos')}"},
        traps=[
            trap(lr * (1 + math.cos(math.pi * t / (total - warm))) / 2,
                 "t not shifted by the warm-up: the cosine counts its steps from step w",
                 "t 没有减去预热步数：余弦从第 w 步起才开始计步"),
            trap(lr * (1 + math.cos(math.pi * (t - warm) / total)) / 2,
                 "T_max taken as the whole run T: the cosine spans the T − w steps after the "
                 "warm-up", "把 T_max 当成了整个训练的 T：余弦只覆盖预热之后的 T − w 步"),
        ],
    )


# --- AdamW --------------------------------------------------------------------------------


def _adamw_setup(rng):
    return (draw(rng, -2.0, 2.0), draw(rng, -4.0, 4.0), pick(rng, [0.01, 0.05, 0.1]),
            pick(rng, [0.01, 0.1, 0.5, 1.0]))


@template("adamw", "first-step")
def adamw_first_step(rng) -> Question:
    w0, g, lr, lam = _adamw_setup(rng)
    w = np.array([w0])
    nn.AdamW([w], lr=lr, weight_decay=lam).step([[g]])
    decayed = w0 * (1 - lr * lam)
    sign = 1.0 if g > 0 else -1.0
    tail = f"{show(decayed, 6)} − {show(lr)}·{_p(sign)} = {show(float(w[0]))}"
    decay = f"{show(w0)}·(1 − {show(lr)}·{show(lam)}) = {show(decayed, 6)}"
    work = f"decay: {decay}; Adam's first step m̂/(√v̂ + ε) = g/|g| = {show(sign)}: {tail}"
    work_zh = f"衰减：{decay}；Adam 的第一步 m̂/(√v̂ + ε) = g/|g| = {show(sign)}：{tail}"
    return Question(
        "adamw", "first-step",
        prompt={"en": f"AdamW (β₁ = 0.9, β₂ = 0.999, ε = 1e-8), learning rate η = {show(lr)}, "
                      f"weight decay λ = {show(lam)}, w = {show(w0)}, gradient g = {show(g)}. "
                      f"w after the first step?",
                "zh": f"AdamW（β₁ = 0.9，β₂ = 0.999，ε = 1e-8），学习率 η = {show(lr)}，权重衰减 "
                      f"λ = {show(lam)}，w = {show(w0)}，梯度 g = {show(g)}。第一步后 w 是多少？"},
        answer=clean(w[0]), decimals=4,
        solution={"en": work, "zh": work_zh},
        traps=[
            trap(w0 - lr * sign, "the weight decay left out", "漏了权重衰减"),
        ],
    )


@template("adamw", "decay-only")
def adamw_decay_only(rng) -> Question:
    w0 = draw(rng, 0.5, 5.0)
    lr, lam = pick(rng, [0.01, 0.05, 0.1]), pick(rng, [0.05, 0.1, 0.5, 1.0])
    k = int(rng.integers(2, 21))
    w = np.array([w0])
    opt = nn.AdamW([w], lr=lr, weight_decay=lam)
    for _ in range(k):
        opt.step([[0.0]])
    factor = 1 - lr * lam
    work = f"{show(w0)}·(1 − {show(lr)}·{show(lam)})^{k} = {show(w0)}·{show(factor)}^{k} = " \
           f"{show(float(w[0]), 6)}"
    return Question(
        "adamw", "decay-only",
        prompt={"en": f"AdamW, learning rate η = {show(lr)}, weight decay λ = {show(lam)}, on a "
                      f"weight w = {show(w0)} whose gradient is 0 at every step. w after {k} "
                      f"steps?",
                "zh": f"AdamW，学习率 η = {show(lr)}，权重衰减 λ = {show(lam)}，作用于梯度始终为 0 "
                      f"的权重 w = {show(w0)}。{k} 步后 w 是多少？"},
        answer=clean(w[0]), decimals=4,
        solution={"en": f"with g = 0 the Adam part is 0 and only the decoupled decay acts: "
                        f"{work}",
                  "zh": f"g = 0 时 Adam 部分为 0，只有解耦的权重衰减起作用：{work}"},
        traps=[
            trap(w0 * (1 - lam) ** k, "decayed by λ, not η·λ, per step",
                 "每步按 λ 而不是 η·λ 衰减"),
        ],
    )


@template("adamw", "vs-adam-l2")
def adamw_vs_adam_l2(rng) -> Question:
    w0, g, lr, lam = _adamw_setup(rng)
    while abs(g + lam * w0) < 0.05 or (g + lam * w0) * g < 0:  # keep the signs readable
        w0, g, lr, lam = _adamw_setup(rng)
    a, b = np.array([w0]), np.array([w0])
    nn.Adam([a], lr=lr).step([[g + lam * w0]])
    nn.AdamW([b], lr=lr, weight_decay=lam).step([[g]])
    g2 = g + lam * w0
    sign = 1.0 if g2 > 0 else -1.0
    adamw_work = f"{show(w0)}·(1 − {show(lr * lam, 6)}) − {show(lr)}·{_p(sign)} = " \
                 f"{show(float(b[0]))}"
    work_en = (f"Adam + L2: g + λw = {show(g2)}, the first step moves η against its sign: "
               f"{show(float(a[0]))}; AdamW: {adamw_work}")
    work_zh = (f"Adam + L2：g + λw = {show(g2)}，第一步沿其反方向移动 η："
               f"{show(float(a[0]))}；AdamW：{adamw_work}")
    return Question(
        "adamw", "vs-adam-l2",
        prompt={"en": f"w = {show(w0)}, gradient g = {show(g)}, learning rate η = {show(lr)}, "
                      f"λ = {show(lam)}, PyTorch's default betas and ε. w after the first step "
                      f"of Adam with L2 (weight_decay=λ added to the gradient) and of AdamW?",
                "zh": f"w = {show(w0)}，梯度 g = {show(g)}，学习率 η = {show(lr)}，"
                      f"λ = {show(lam)}，"
                      f"β 与 ε 取 PyTorch 默认值。Adam 加 L2（weight_decay=λ 加到梯度上）和 AdamW "
                      f"各走第一步后 w 是多少？"},
        answer=floats([a[0], b[0]]), kind="vector", decimals=4,
        solution={"en": f"{work_en}: Adam normalises λw away on the first step, AdamW does not",
                  "zh": f"{work_zh}：Adam 在第一步把 λw 归一化掉了，AdamW 没有"},
        traps=[  # by hand, as the learner works: Adam's first step is η·sign (ε aside)
            trap([w0 * (1 - lr * lam) - lr * sign] * 2,
                 "Adam with L2 taken for AdamW: Adam normalises λw away",
                 "把 Adam 加 L2 当成了 AdamW：Adam 把 λw 归一化掉了"),
            trap([w0 - lr * sign] * 2, "AdamW's decoupled weight decay left out",
                 "漏了 AdamW 解耦的权重衰减"),
            trap([w0 - lr * sign, w0 * (1 - lam) - lr * sign], "AdamW decayed by λ, not η·λ",
                 "AdamW 按 λ 而不是 η·λ 衰减"),
        ],
    )


# --- data augmentation --------------------------------------------------------------------


@template("data-augmentation", "crop-positions")
def augmentation_positions(rng) -> Question:
    h = pick(rng, [8, 28, 32, 64, 96])
    p = pick(rng, [1, 2, 4])
    s = h - pick(rng, [0, 0, 2, 4])
    n = h + 2 * p - s + 1
    flips = bool(rng.random() < 0.5)
    total = n * n * (2 if flips else 1)
    en_flip = " with a random horizontal flip" if flips else ""
    zh_flip = "，再加随机水平翻转" if flips else ""
    work = f"({h} + 2·{p} − {s} + 1)² = {n}² = {n * n}"
    work_zh = work + (f"；翻转再 ×2 = {total}" if flips else "")
    work += f"; ×2 for the flip = {total}" if flips else ""
    return Question(
        "data-augmentation", "crop-positions",
        prompt={"en": f"RandomCrop({s}, padding={p}) on {h}×{h} images{en_flip}. How many "
                      f"different augmented versions of one image can it produce?",
                "zh": f"对 {h}×{h} 的图像做 RandomCrop({s}, padding={p}){zh_flip}。一张图像最多能"
                      f"产生多少种不同的增广结果？"},
        answer=float(total), decimals=0,
        solution={"en": f"corners (top, left) ∈ [0, H + 2p − s]²: {work}",
                  "zh": f"左上角 (top, left) ∈ [0, H + 2p − s]²：{work_zh}"},
        traps=[
            trap(float((n - 1) ** 2 * (2 if flips else 1)),
                 "(H + 2p − s)² corners: the + 1 left out (0 … H + 2p − s is one more)",
                 "算成 (H + 2p − s)² 个左上角：漏了 + 1（0 … H + 2p − s 多一个）"),
            *([trap(float(n * n), "the flip's × 2 left out", "漏了翻转带来的 × 2")]
              if flips else []),
        ],
    )


def _small_image(rng) -> np.ndarray:
    return np.array([[float(v) for v in rng.integers(1, 10, 4)] for _ in range(3)])


@template("data-augmentation", "flip-pixel")
def augmentation_flip(rng) -> Question:
    x = _small_image(rng)
    out = nn.hflip(x)
    i, j = int(rng.integers(0, 3)), int(rng.integers(0, 4))
    return Question(
        "data-augmentation", "flip-pixel",
        prompt={"en": f"Image x = {mat(x)} (3 rows × 4 columns). After a horizontal flip, the "
                      f"pixel in row {i}, column {j} (counting from 0)?",
                "zh": f"图像 x = {mat(x)}（3 行 × 4 列）。水平翻转后第 {i} 行第 {j} 列"
                      f"（从 0 开始数）"
                      f"的像素值是多少？"},
        answer=clean(out[i, j]), decimals=0,
        solution={"en": f"pixel (i, j) of hflip(x) is pixel (i, W − 1 − j) of x: "
                        f"W − 1 − j = 4 − 1 − {j} = {3 - j}, x[{i}, {3 - j}] = {show(out[i, j])}",
                  "zh": f"hflip(x) 的像素 (i, j) 就是 x 的像素 (i, W − 1 − j)："
                        f"W − 1 − j = 4 − 1 − {j} = {3 - j}，x[{i}, {3 - j}] = {show(out[i, j])}"},
        traps=[trap(clean(nn.vflip(x)[i, j]), "a vertical flip: the rows reversed, not the columns",
                    "做成了垂直翻转：颠倒的是行，而不是列")],
    )


@template("data-augmentation", "translate-pixel")
def augmentation_translate(rng) -> Question:
    x = _small_image(rng)
    dy, dx = int(rng.integers(-1, 2)), int(rng.integers(-2, 3))
    while dy == dx == 0:
        dy, dx = int(rng.integers(-1, 2)), int(rng.integers(-2, 3))
    out = nn.translate(x, dy, dx)
    i, j = int(rng.integers(0, 3)), int(rng.integers(0, 4))
    si, sj = i - dy, j - dx
    inside = 0 <= si < 3 and 0 <= sj < 4
    where = f"({i} − {_p(dy)}, {j} − {_p(dx)}) = ({si}, {sj})"
    src_en = (f"{where}, x[{si}, {sj}] = {show(out[i, j])}" if inside
              else f"{where} lies outside the image, so the zero fill: 0")
    src_zh = (f"{where}，x[{si}, {sj}] = {show(out[i, j])}" if inside
              else f"{where} 在图像之外，所以是填充的 0")
    return Question(
        "data-augmentation", "translate-pixel",
        prompt={"en": f"Image x = {mat(x)} (3 rows × 4 columns), shifted {dy} pixel(s) down and "
                      f"{dx} pixel(s) right (negative: up / left), the border filled with 0. The "
                      f"pixel in row {i}, column {j} (counting from 0)?",
                "zh": f"图像 x = {mat(x)}（3 行 × 4 列）向下平移 {dy} 个像素、向右平移 {dx} 个像素"
                      f"（负数表示向上 / 向左），空出的边缘填 0。第 {i} 行第 {j} 列"
                      f"（从 0 开始数）的"
                      f"像素值是多少？"},
        answer=clean(out[i, j]), decimals=0,
        solution={"en": f"pixel (i, j) of the result is pixel (i − dy, j − dx) of x: {src_en}",
                  "zh": f"结果的像素 (i, j) 来自 x 的像素 (i − dy, j − dx)：{src_zh}"},
        traps=[trap(clean(nn.translate(x, -dy, -dx)[i, j]),
                    "shifted the wrong way: pixel (i + dy, j + dx) of x",
                    "方向反了：取的是 x 的像素 (i + dy, j + dx)")],
    )


# --- transfer learning --------------------------------------------------------------------

_BACKBONES = [("ResNet-18", 11_176_512, 512), ("ResNet-50", 23_508_032, 2048),
              ("MobileNetV2", 2_223_872, 1280), ("VGG-16 features", 14_714_688, 512)]


@template("transfer-learning", "trainable-head")
def transfer_trainable(rng) -> Question:
    name, backbone, d = pick(rng, _BACKBONES)
    c = int(rng.integers(2, 201))
    head = nn.linear_num_params(d, c)
    return Question(
        "transfer-learning", "trainable-head",
        prompt={"en": f"A pretrained {name} backbone ({backbone:,} parameters, {d} features) is "
                      f"frozen and a new head Linear({d}, {c}) is trained for {c} classes. "
                      f"Trainable parameters?",
                "zh": f"预训练的 {name} 主干（{backbone:,} 个参数，输出 {d} 维特征）被冻结，只训练"
                      f"新的输出层 Linear({d}, {c})（{c} 个类别）。可训练的参数有多少个？"},
        answer=float(head), decimals=0,
        solution={"en": f"only the head learns: {d}·{c} + {c} = {head:,} "
                        f"({head / (backbone + head):.2%} of all parameters)",
                  "zh": f"只有输出层在学习：{d}·{c} + {c} = {head:,}"
                        f"（占全部参数的 {head / (backbone + head):.2%}）"},
        traps=[trap(float(d * c), "the head's biases left out", "漏了输出层的偏置"),
               trap(float(backbone + head), "the frozen backbone counted too",
                    "把冻结的主干也算进去了")],
    )


@template("transfer-learning", "head-swap")
def transfer_head_swap(rng) -> Question:
    d = pick(rng, [512, 768, 1024, 1280, 2048])
    c = int(rng.integers(2, 101))
    old, new = nn.linear_num_params(d, 1000), nn.linear_num_params(d, c)
    return Question(
        "transfer-learning", "head-swap",
        prompt={"en": f"An ImageNet model ends in Linear({d}, 1000). For fine-tuning on {c} "
                      f"classes it is replaced by Linear({d}, {c}). By how many parameters does "
                      f"the model shrink?",
                "zh": f"一个 ImageNet 模型以 Linear({d}, 1000) 结尾。为了在 {c} 个类别上微调，"
                      f"把它换成 "
                      f"Linear({d}, {c})。模型的参数减少了多少个？"},
        answer=float(old - new), decimals=0,
        solution={"en": f"old head minus new head: ({d} + 1)·1000 − ({d} + 1)·{c} = {old:,} − "
                        f"{new:,} = {old - new:,}",
                  "zh": f"旧输出层减去新输出层：({d} + 1)·1000 − ({d} + 1)·{c} = {old:,} − "
                        f"{new:,} = {old - new:,}"},
        traps=[trap(float(d * (1000 - c)), "the weights only, without the biases",
                    "只算了权重，漏了偏置"),
               trap(float(new), "the new head's size, not how much the model shrinks",
                    "算的是新输出层的大小，而不是减少了多少")],
    )


@template("transfer-learning", "unfreeze")
def transfer_unfreeze(rng) -> Question:
    ch = pick(rng, [(3, 16, 32, 64), (3, 32, 64, 128), (3, 8, 16, 32), (1, 16, 32, 64)])
    k = pick(rng, [1, 3])
    c = int(rng.integers(2, 21))
    convs = [nn.conv2d_num_params(ch[i], ch[i + 1], k, k) for i in range(3)]
    head = nn.linear_num_params(ch[3], c)
    trainable = convs[2] + head
    total = sum(convs) + head
    return Question(
        "transfer-learning", "unfreeze",
        prompt={"en": f"A pretrained CNN: Conv2d({ch[0]}, {ch[1]}, {k}), Conv2d({ch[1]}, {ch[2]}, "
                      f"{k}), Conv2d({ch[2]}, {ch[3]}, {k}) (with biases), global average pooling, "
                      f"then a new head Linear({ch[3]}, {c}). The first two convolutions stay "
                      f"frozen; the last one is fine-tuned with the head. Trainable parameters?",
                "zh": f"预训练的卷积网络：Conv2d({ch[0]}, {ch[1]}, {k})、Conv2d({ch[1]}, {ch[2]}, "
                      f"{k})、Conv2d({ch[2]}, {ch[3]}, {k})（均有偏置），全局平均汇聚，然后是新的"
                      f"输出层 Linear({ch[3]}, {c})。前两个卷积层冻结，最后一个卷积层与输出层一起"
                      f"微调。可训练的参数有多少个？"},
        answer=float(trainable), decimals=0,
        solution={"en": f"last conv {ch[2]}·{ch[3]}·{k}·{k} + {ch[3]} = {convs[2]}; head "
                        f"{ch[3]}·{c} + {c} = {head}; {convs[2]} + {head} = {trainable} of "
                        f"{total}",
                  "zh": f"最后一个卷积层 {ch[2]}·{ch[3]}·{k}·{k} + {ch[3]} = {convs[2]}；输出层 "
                        f"{ch[3]}·{c} + {c} = {head}；{convs[2]} + {head} = {trainable}（共 "
                        f"{total} 个）"},
        traps=[trap(float(total), "the frozen convolutions counted too",
                    "把冻结的卷积层也算进去了"),
               trap(float(convs[2]), "the new head left out: it is trained too",
                    "漏了新的输出层：它也在训练")],
    )


# --- accuracy -----------------------------------------------------------------------------


def _labels_from_counts(tp: int, fp: int, fn: int, tn: int) -> tuple[np.ndarray, np.ndarray]:
    y = np.array([1] * (tp + fn) + [0] * (fp + tn))
    pred = np.array([1] * tp + [0] * fn + [1] * fp + [0] * tn)
    return y, pred


def _imbalanced_counts(rng) -> tuple[int, int, int, int]:
    pos = int(rng.integers(5, 60))
    neg = int(rng.integers(200, 1000))
    tp = int(rng.integers(1, pos + 1))
    fp = int(rng.integers(0, neg // 5))
    return tp, fp, pos - tp, neg - fp


@template("accuracy", "from-counts")
def accuracy_from_counts(rng) -> Question:
    tp, fp, fn, tn = _imbalanced_counts(rng)
    y, pred = _labels_from_counts(tp, fp, fn, tn)
    acc = nn.accuracy(y, pred)
    n = tp + fp + fn + tn
    return Question(
        "accuracy", "from-counts",
        prompt={"en": f"A classifier's confusion counts: TP = {tp}, FP = {fp}, FN = {fn}, "
                      f"TN = {tn}. Its accuracy?",
                "zh": f"某分类器的混淆矩阵计数：TP = {tp}，FP = {fp}，FN = {fn}，TN = {tn}。"
                      f"准确率是多少？"},
        answer=clean(acc), decimals=3,
        solution={"en": f"accuracy = (TP + TN)/N = ({tp} + {tn})/{n} = {show(acc)}",
                  "zh": f"准确率 = (TP + TN)/N = ({tp} + {tn})/{n} = {show(acc)}"},
        traps=[
            trap(tp / (tp + fp + fn), "TN left out altogether: TP/(TP + FP + FN)",
                 "完全漏掉了真负例（TN）：算成了 TP/(TP + FP + FN)"),
        ],
    )


@template("accuracy", "majority-baseline")
def accuracy_baseline(rng) -> Question:
    n = pick(rng, [200, 500, 1000, 2000, 10000])
    pos = int(rng.integers(1, n // 10))
    y = np.array([1] * pos + [0] * (n - pos))
    pred = np.zeros(n, dtype=int)
    acc = nn.accuracy(y, pred)
    return Question(
        "accuracy", "majority-baseline",
        prompt={"en": f"A test set of {n} examples has {pos} positives. A model that always "
                      f"predicts \"negative\": its accuracy?",
                "zh": f"测试集有 {n} 个样本，其中 {pos} 个正类。一个永远预测“负类”的模型，"
                      f"准确率是多少？"},
        answer=clean(acc), decimals=4,
        solution={"en": f"it gets every negative right: ({n} − {pos})/{n} = {show(acc)}, with "
                        f"recall 0 and F1 0 — the baseline any real model must beat",
                  "zh": f"所有负类都判对：({n} − {pos})/{n} = {show(acc)}，但召回率和 F1 都是 0——"
                        f"这是任何真正的模型都必须超过的基线"},
        traps=[
            trap(pos / n,
                 "the share of positives: always predicting negative gets the negatives right",
                 "给出了正类比例：一律预测为负类时，答对的是负类样本"),
        ],
    )


@template("accuracy", "accuracy-and-f1")
def accuracy_and_f1(rng) -> Question:
    tp, fp, fn, tn = _imbalanced_counts(rng)
    y, pred = _labels_from_counts(tp, fp, fn, tn)
    acc, f1 = nn.accuracy(y, pred), nn.f1_score(y, pred)
    n = tp + fp + fn + tn
    return Question(
        "accuracy", "accuracy-and-f1",
        prompt={"en": f"On imbalanced data: TP = {tp}, FP = {fp}, FN = {fn}, TN = {tn}. "
                      f"(accuracy, F1)?",
                "zh": f"在类别不平衡的数据上：TP = {tp}，FP = {fp}，FN = {fn}，TN = {tn}。"
                      f"求 (准确率, F1)。"},
        answer=floats([acc, f1]), kind="vector", decimals=3,
        solution={"en": f"accuracy (TP + TN)/N = {tp + tn}/{n} = {show(acc)}; F1 = 2TP/(2TP + FP "
                        f"+ FN) = {2 * tp}/{2 * tp + fp + fn} = {show(f1)}: the {tn} true "
                        f"negatives lift accuracy but not F1",
                  "zh": f"准确率 (TP + TN)/N = {tp + tn}/{n} = {show(acc)}；F1 = 2TP/(2TP + FP + "
                        f"FN) = {2 * tp}/{2 * tp + fp + fn} = {show(f1)}：{tn} 个真负例抬高了"
                        f"准确率，却不影响 F1"},
        traps=[
            trap([tp / (tp + fp + fn), f1], "TN left out altogether: TP/(TP + FP + FN)",
                 "完全漏掉了真负例（TN）：算成了 TP/(TP + FP + FN)"),
        ],
    )


@template("accuracy", "multiclass")
def accuracy_multiclass(rng) -> Question:
    n = int(rng.integers(6, 11))
    y = rng.integers(0, 4, n)
    pred = np.where(rng.random(n) < 0.6, y, rng.integers(0, 4, n))
    acc = nn.accuracy(y, pred)
    hits = int(np.sum(y == pred))
    return Question(
        "accuracy", "multiclass",
        prompt={"en": f"True classes {vec(y)}, predicted classes {vec(pred)}. Accuracy?",
                "zh": f"真实类别 {vec(y)}，预测类别 {vec(pred)}。准确率是多少？"},
        answer=clean(acc), decimals=3,
        solution={"en": f"{hits} of {n} positions agree: {hits}/{n} = {show(acc)}",
                  "zh": f"{n} 个位置中有 {hits} 个一致：{hits}/{n} = {show(acc)}"},
        traps=[
            trap(1 - hits / n, "the error rate instead of the accuracy",
                 "算成了错误率，而不是准确率"),
        ],
    )


# --- label smoothing ----------------------------------------------------------------------


@template("label-smoothing", "target")
def label_smoothing_target(rng) -> Question:
    c, eps = int(rng.integers(2, 11)), pick(rng, [0.05, 0.1, 0.15, 0.2, 0.25, 0.3])
    q = nn.one_hot(np.array([0]), c)[0] * (1 - eps) + eps / c
    return Question(
        "label-smoothing", "target",
        prompt={"en": f"Label smoothing ε = {show(eps)} with C = {c} classes. The smoothed target "
                      f"of the true class and of each other class?",
                "zh": f"标签平滑 ε = {show(eps)}，类别数 C = {c}。平滑后真实类别和其他每个类别的"
                      f"目标值各是多少？"},
        answer=floats([q[0], q[1]]), kind="vector", decimals=4,
        solution={"en": f"q = (1 − ε)·onehot + ε/C: 1 − {show(eps)} + {show(eps)}/{c} = "
                        f"{show(q[0])}, {show(eps)}/{c} = {show(q[1])} (the ε/C goes to the "
                        f"true class too)",
                  "zh": f"q = (1 − ε)·独热 + ε/C：1 − {show(eps)} + {show(eps)}/{c} = "
                        f"{show(q[0])}，{show(eps)}/{c} = {show(q[1])}（真实类别也分到 ε/C）"},
        traps=[
            trap([1 - eps, eps / (c - 1)], "1 − ε on the true class and ε/(C − 1) on the others: "
                 "PyTorch spreads ε over all C classes",
                 "真实类别取 1 − ε、其余取 ε/(C − 1)：PyTorch 把 ε 分给全部 C 个类别"),
        ],
    )


def _logits(rng, c: int = 3) -> list[float]:
    return draws(rng, c, -2.0, 3.0, nonzero=False)


@template("label-smoothing", "loss")
def label_smoothing_loss(rng) -> Question:
    z, eps = _logits(rng), pick(rng, [0.1, 0.2, 0.3])
    y = int(rng.integers(0, 3))
    loss = nn.cross_entropy(z, y, label_smoothing=eps)
    plain = nn.cross_entropy(z, y)
    logp = nn.log_softmax(np.array(z))
    mean_work = (f"({' + '.join(show(-v) for v in logp)})/3 = {show(-logp.mean())}")
    return Question(
        "label-smoothing", "loss",
        prompt={"en": f"Logits z = {vec(z)}, true class {y} (counting from 0), "
                      f"F.cross_entropy(z, y, label_smoothing={show(eps)}) = ?",
                "zh": f"logits z = {vec(z)}，真实类别为 {y}（从 0 开始数），"
                      f"F.cross_entropy(z, y, label_smoothing={show(eps)}) 等于多少？"},
        answer=clean(loss), decimals=4,
        solution={"en": f"log softmax(z) = {vec(logp)}; mean(−log p) = {mean_work}; "
                        f"(1 − ε)·(−log p_y) + ε·mean(−log p) = "
                        f"{show(1 - eps)}·{show(-logp[y])} + {show(eps)}·{show(-logp.mean())} = "
                        f"{show(loss)} (without smoothing {show(plain)})",
                  "zh": f"log softmax(z) = {vec(logp)}；mean(−log p) = {mean_work}；"
                        f"(1 − ε)·(−log p_y) + ε·mean(−log p) = "
                        f"{show(1 - eps)}·{show(-logp[y])} + {show(eps)}·{show(-logp.mean())} = "
                        f"{show(loss)}（不平滑时为 {show(plain)}）"},
        traps=[
            trap(plain, "the loss without label smoothing", "算成了不带标签平滑的损失"),
        ],
    )


@template("label-smoothing", "gradient")
def label_smoothing_gradient(rng) -> Question:
    z, eps = _logits(rng), pick(rng, [0.1, 0.2, 0.3])
    y = int(rng.integers(0, 3))
    g = nn.cross_entropy_grad(z, y, label_smoothing=eps)
    p = nn.softmax(np.array(z))
    q = np.full(3, eps / 3)
    q[y] += 1 - eps
    return Question(
        "label-smoothing", "gradient",
        prompt={"en": f"Logits z = {vec(z)}, true class {y} (counting from 0), label smoothing "
                      f"ε = {show(eps)}. The gradient of the cross-entropy with respect to z?",
                "zh": f"logits z = {vec(z)}，真实类别为 {y}（从 0 开始数），标签平滑 ε = "
                      f"{show(eps)}。交叉熵对 z 的梯度是多少？"},
        answer=floats(g), kind="vector", decimals=3,
        solution={"en": f"∂L/∂z = softmax(z) − q, q the smoothed target: {vec(p)} − {vec(q)} = "
                        f"{vec(g)}",
                  "zh": f"∂L/∂z = softmax(z) − q，q 为平滑后的目标：{vec(p)} − {vec(q)} = "
                        f"{vec(g)}"},
        traps=[
            trap(nn.cross_entropy_grad(z, y), "the gradient without label smoothing",
                 "算成了不带标签平滑的梯度"),
        ],
    )


@template("label-smoothing", "optimal-gap")
def label_smoothing_gap(rng) -> Question:
    c, eps = int(rng.integers(2, 11)), pick(rng, [0.05, 0.1, 0.15, 0.2, 0.25, 0.3])
    q = (1 - eps) * nn.one_hot(np.array([0]), c)[0] + eps / c
    gap = float(np.log(q[0] / q[1]))
    ratio = q[0] / q[1]  # (1 − ε + ε/C)/(ε/C) = 1 + C(1 − ε)/ε
    z = np.zeros(c)
    z[0] = gap  # check: at this gap the gradient is zero
    assert np.allclose(nn.cross_entropy_grad(z, 0, label_smoothing=eps), 0.0)
    return Question(
        "label-smoothing", "optimal-gap",
        prompt={"en": f"Label smoothing ε = {show(eps)}, C = {c} classes. At the minimum of the "
                      f"loss, by how much does the true class's logit exceed each other logit?",
                "zh": f"标签平滑 ε = {show(eps)}，类别数 C = {c}。在损失的最小点，真实类别的 logit "
                      f"比其他每个 logit 大多少？"},
        answer=clean(gap), decimals=3,
        solution={"en": f"the minimum has softmax(z) = q, so the gap is log(q_true/q_other) = "
                        f"log((1 − ε + ε/C)/(ε/C)) = log(1 + C(1 − ε)/ε) = log(1 + {c}·"
                        f"{show(1 - eps)}/{show(eps)}) = log({show(ratio)}) = {show(gap)}: "
                        "finite, unlike ε = 0",
                  "zh": f"最小点处 softmax(z) = q，所以差值为 log(q_真/q_其他) = "
                        f"log((1 − ε + ε/C)/(ε/C)) = log(1 + C(1 − ε)/ε) = log(1 + {c}·"
                        f"{show(1 - eps)}/{show(eps)}) = log({show(ratio)}) = {show(gap)}："
                        "是有限值，ε = 0 时则不然"},
        traps=[
            trap(math.log((1 - eps) / (eps / (c - 1))), "1 − ε on the true class and ε/(C − 1) "
                 "on the others: PyTorch spreads ε over all C classes",
                 "真实类别取 1 − ε、其余取 ε/(C − 1)：PyTorch 把 ε 分给全部 C 个类别"),
            trap(ratio, "the ratio q_true/q_other, not its log: softmax turns a logit gap d "
                 "into a ratio e^d", "给出了比值 q_真/q_其他，而不是它的对数：softmax 把 logit "
                 "之差 d 变成比值 e^d"),
        ],
    )


# --- one-hot encoding ---------------------------------------------------------------------


@template("one-hot-encoding", "vector")
def one_hot_vector(rng) -> Question:
    c = int(rng.integers(3, 9))
    k = int(rng.integers(0, c))
    v = nn.one_hot(np.array([k]), c)[0]
    return Question(
        "one-hot-encoding", "vector",
        prompt={"en": f"One-hot encode class {k} (counting from 0) out of C = {c} classes.",
                "zh": f"把类别 {k}（从 0 开始数）在 C = {c} 个类别中做独热编码。"},
        answer=[float(x) for x in v], kind="vector", decimals=0,
        solution={"en": f"a 1 at position {k}, 0 at the other {c - 1}: {vec(v)}",
                  "zh": f"第 {k} 位为 1，其余 {c - 1} 位为 0：{vec(v)}"},
        traps=[  # class 0 has no k-th place to be put in
            *([trap([1.0 if i == k - 1 else 0.0 for i in range(c)],
                    "class k put in the k-th place: counting from 0 it sits at index k",
                    "把类别 k 放在了从 1 数起的第 k 个位置：它在下标 k 处（从 0 开始数）")]
              if k else []),
        ],
    )


@template("one-hot-encoding", "embedding-params")
def one_hot_embedding(rng) -> Question:
    v = pick(rng, [1000, 2000, 5000, 10000, 20000, 30000, 50000])
    d = pick(rng, [16, 32, 64, 128, 256, 300, 512])
    params = nn.linear_num_params(v, d, bias=False)
    return Question(
        "one-hot-encoding", "embedding-params",
        prompt={"en": f"A vocabulary of {v} words, each one-hot encoded and fed to "
                      f"Linear({v}, {d}, bias=False) (the same as an embedding). Parameters?",
                "zh": f"词表有 {v} 个词，每个词做独热编码后送入 Linear({v}, {d}, bias=False)"
                      f"（等价于嵌入层）。有多少个参数？"},
        answer=float(params), decimals=0,
        solution={"en": f"{v}·{d} = {params:,}; multiplying a one-hot vector by W just picks one "
                        f"column, which is why nn.Embedding does a lookup instead",
                  "zh": f"{v}·{d} = {params:,}；独热向量乘以 W 只是取出其中一列，所以 nn.Embedding "
                        f"直接查表"},
        traps=[
            trap(float(v * d + d), "a bias counted: bias=False", "算了偏置：bias=False"),
        ],
    )


@template("one-hot-encoding", "cross-entropy")
def one_hot_cross_entropy(rng) -> Question:
    c = int(rng.integers(3, 6))
    p = rng.dirichlet(np.ones(c) * 2)
    p = np.round(p, 2)
    p[-1] = round(1 - float(np.sum(p[:-1])), 2)
    if np.any(p <= 0):
        p = np.full(c, round(1 / c, 2))
        p[-1] = round(1 - float(np.sum(p[:-1])), 2)
    k = int(rng.integers(0, c))
    loss = nn.cross_entropy(np.log(p), k)
    return Question(
        "one-hot-encoding", "cross-entropy",
        prompt={"en": f"Predicted probabilities p = {vec(p)}, one-hot target y = "
                      f"{vec(nn.one_hot(np.array([k]), c)[0])}. Cross-entropy −Σ y_c log p_c?",
                "zh": f"预测概率 p = {vec(p)}，独热标签 y = "
                      f"{vec(nn.one_hot(np.array([k]), c)[0])}。"
                      f"交叉熵 −Σ y_c log p_c 是多少？"},
        answer=clean(loss), decimals=4,
        solution={"en": f"every term but the 1 vanishes: −log p_{k} = −log {show(p[k])} = "
                        f"{show(loss)}",
                  "zh": f"除了 1 所在的那一项其余都为 0：−log p_{k} = −log {show(p[k])} = "
                        f"{show(loss)}"},
        traps=[
            trap(-math.log10(float(p[k])), "log base 10 instead of the natural log",
                 "用了以 10 为底的对数，而不是自然对数"),
        ],
    )


@template("one-hot-encoding", "zeros")
def one_hot_zeros(rng) -> Question:
    n = pick(rng, [16, 24, 32, 48, 64, 100, 128, 200, 256, 512])
    c = pick(rng, [3, 5, 10, 20, 100, 1000])
    labels = rng.integers(0, c, n)
    y = nn.one_hot(labels, c)
    zeros = int(y.size - y.sum())
    return Question(
        "one-hot-encoding", "zeros",
        prompt={"en": f"A batch of {n} labels over C = {c} classes is one-hot encoded into a "
                      f"{n}×{c} matrix. How many of its entries are 0?",
                "zh": f"把一个批量的 {n} 个标签（共 C = {c} 类）独热编码成 {n}×{c} 的矩阵。其中"
                      f"有多少个元素是 0？"},
        answer=float(zeros), decimals=0,
        solution={"en": f"one 1 per row: {n}·{c} − {n} = {n}·({c} − 1) = {zeros}",
                  "zh": f"每行一个 1：{n}·{c} − {n} = {n}·({c} − 1) = {zeros}"},
        traps=[
            trap(float(n * (c - 1) + n), "every entry counted", "把所有元素都数上了"),
            trap(float(n), "the ones counted, not the zeros", "数的是 1，而不是 0"),
        ],
    )


# --- saddle points ------------------------------------------------------------------------


def _hessian(rng) -> tuple[int, int, int]:
    """f(x, y) = a·x² + b·xy + c·y² with a saddle (b² > 4ac) or a minimum/maximum."""
    a = int(rng.choice([-3, -2, -1, 1, 2, 3]))
    c = int(rng.choice([-3, -2, -1, 1, 2, 3]))
    b = int(rng.integers(-4, 5))
    return a, b, c


def _quad_text(a: int, b: int, c: int) -> str:
    def term(k: int, var: str, first: bool) -> str:
        if k == 0:
            return ""
        coef = "" if abs(k) == 1 else str(abs(k))
        sign = ("−" if k < 0 else "") if first else (" − " if k < 0 else " + ")
        return f"{sign}{coef}{var}"

    return term(a, "x²", True) + term(b, "xy", False) + term(c, "y²", False)


@template("saddle-point", "hessian-eigenvalues")
def saddle_eigenvalues(rng) -> Question:
    a, b, c = _hessian(rng)
    h = np.array([[2.0 * a, b], [b, 2.0 * c]])
    eig = np.linalg.eigvalsh(h)
    kind_en = ("a saddle point (one negative, one positive)" if eig[0] < 0 < eig[1] else
               "a minimum" if eig[0] > 0 else "a maximum" if eig[1] < 0 else "degenerate")
    kind_zh = ("鞍点（一负一正）" if eig[0] < 0 < eig[1] else "极小值点" if eig[0] > 0 else
               "极大值点" if eig[1] < 0 else "退化情形")
    return Question(
        "saddle-point", "hessian-eigenvalues",
        prompt={"en": f"f(x, y) = {_quad_text(a, b, c)} has a critical point at (0, 0). The "
                      f"eigenvalues of its Hessian, smallest first?",
                "zh": f"f(x, y) = {_quad_text(a, b, c)} 在 (0, 0) 处梯度为零。它的黑塞矩阵的特征值"
                      f"（从小到大）是多少？"},
        answer=floats(eig), kind="vector", decimals=3,
        solution={"en": f"H = {mat(h)}; λ = (tr ± √(tr² − 4·det))/2 with tr = "
                        f"{show(2 * a + 2 * c)}, "
                        f"det = {show(4 * a * c - b * b)}: {vec(eig)}, so (0, 0) is {kind_en}",
                  "zh": f"H = {mat(h)}；λ = (tr ± √(tr² − 4·det))/2，tr = {show(2 * a + 2 * c)}，"
                        f"det = {show(4 * a * c - b * b)}：{vec(eig)}，所以 (0, 0) 是{kind_zh}"},
        traps=[
            trap(np.linalg.eigvalsh(np.array([[a, b], [b, c]], dtype=float)),
                 "H taken as [[a, b], [b, c]]: the second derivative of a·x² is 2a",
                 "把黑塞矩阵当成了 [[a, b], [b, c]]：a·x² 的二阶导数是 2a"),
            trap(sorted([2.0 * a, 2.0 * c]), "the diagonal 2a, 2c taken as the eigenvalues: "
                 "b left out", "把对角线 2a、2c 当成了特征值：漏了 b"),
            trap(np.linalg.eigvalsh(np.array([[a, b / 2], [b / 2, c]])),
                 "the quadratic form's matrix [[a, b/2], [b/2, c]]: the Hessian is twice it",
                 "用了二次型的矩阵 [[a, b/2], [b/2, c]]：黑塞矩阵是它的两倍"),
        ],
    )


@template("saddle-point", "determinant")
def saddle_determinant(rng) -> Question:
    a, b, c = _hessian(rng)
    det = float(np.linalg.det(np.array([[2.0 * a, b], [b, 2.0 * c]])))
    verdict_en = "negative: a saddle point" if det < 0 else (
        "positive: a minimum or maximum" if det > 0 else "zero: the test is inconclusive")
    verdict_zh = "为负：鞍点" if det < 0 else ("为正：极小值或极大值点" if det > 0 else
                                          "为零：无法判定")
    return Question(
        "saddle-point", "determinant",
        prompt={"en": f"f(x, y) = {_quad_text(a, b, c)}. The determinant of its Hessian at "
                      f"(0, 0)?",
                "zh": f"f(x, y) = {_quad_text(a, b, c)}。它在 (0, 0) 处黑塞矩阵的行列式是多少？"},
        answer=clean(det), decimals=0,
        solution={"en": f"the Hessian has rows (2a, b), (b, 2c): [[{2 * a}, {b}], [{b}, {2 * c}]]; "
                        f"det = {_p(2 * a)}·{_p(2 * c)} − {_p(b)}² = {show(det)}, {verdict_en}",
                  "zh": f"黑塞矩阵的两行为 (2a, b)、(b, 2c)：[[{2 * a}, {b}], [{b}, {2 * c}]]；"
                        f"det = {_p(2 * a)}·{_p(2 * c)} − {_p(b)}² = {show(det)}，{verdict_zh}"},
        traps=[
            trap(4 * a * c, "the off-diagonal b² left out", "漏了非对角线的 b²"),
        ],
    )


@template("saddle-point", "escape")
def saddle_escape(rng) -> Question:
    a, b = pick(rng, [0.5, 1.0, 2.0]), pick(rng, [0.5, 1.0, 2.0])
    lr = pick(rng, [0.05, 0.1, 0.2])
    y0 = pick(rng, [0.001, 0.01, 0.1])
    k = int(rng.integers(2, 9))
    p = np.array([1.0, y0])
    opt = nn.SGD([p], lr=lr)
    for _ in range(k):
        opt.step([np.array([2 * a * p[0], -2 * b * p[1]])])
    factor = 1 + 2 * b * lr
    f = f"{'' if a == 1 else show(a)}x² − {'' if b == 1 else show(b)}y²"
    return Question(
        "saddle-point", "escape",
        prompt={"en": f"Gradient descent with η = {show(lr)} on f(x, y) = {f}, which has a "
                      f"saddle at (0, 0), from (1, {show(y0)}). y after {k} steps?",
                "zh": f"在 f(x, y) = {f}（(0, 0) 是鞍点）上从 "
                      f"(1, {show(y0)}) "
                      f"出发做梯度下降，η = {show(lr)}。{k} 步后 y 是多少？"},
        answer=clean(p[1]), decimals=4,
        solution={"en": f"∂f/∂y = −2·{show(b)}·y = −{show(2 * b)}·y, so y ← y − η·∂f/∂y = "
                        f"y·(1 + {show(2 * b)}·{show(lr)}) = "
                        f"{show(factor)}·y; {show(y0)}·{show(factor)}^{k} = {show(p[1])}: tiny "
                        f"offsets grow geometrically, but from y = 0 exactly it never leaves",
                  "zh": f"∂f/∂y = −2·{show(b)}·y = −{show(2 * b)}·y，所以 y ← y − η·∂f/∂y = "
                        f"y·(1 + {show(2 * b)}·{show(lr)}) = "
                        f"{show(factor)}·y；{show(y0)}·{show(factor)}^{k} = {show(p[1])}：微小的"
                        f"偏离按几何级数增长，但若恰好 y = 0 则永远离不开"},
        traps=[
            trap(y0 * (1 + b * lr) ** k,
                 "∂(−b·y²)/∂y taken as −b·y, without the 2 of the power rule",
                 "把 ∂(−b·y²)/∂y 算成了 −b·y，漏了求导的 2"),
            trap(y0 * (1 - 2 * b * lr) ** k, "y shrunk by 1 − 2bη: along −b·y² descent "
                 "moves y away from 0", "y 按 1 − 2bη 缩小了：沿 −b·y² 方向，梯度下降让 y "
                 "远离 0"),
        ],
    )


# --- multilayer perceptron ----------------------------------------------------------------


@template("multilayer-perceptron", "param-count")
def mlp_params(rng) -> Question:
    d = pick(rng, [2, 4, 10, 784, 3072])
    hidden = [pick(rng, [8, 16, 32, 64, 128, 256]) for _ in range(int(rng.integers(1, 4)))]
    c = pick(rng, [1, 2, 3, 10])
    sizes = [d, *hidden, c]
    parts = [nn.linear_num_params(i, o) for i, o in zip(sizes[:-1], sizes[1:], strict=True)]
    total = sum(parts)
    terms = " + ".join(f"({i}·{o} + {o})" for i, o in zip(sizes[:-1], sizes[1:], strict=True))
    arch = " → ".join(str(s) for s in sizes)
    return Question(
        "multilayer-perceptron", "param-count",
        prompt={"en": f"An MLP with layer widths {arch} (fully connected layers with biases). "
                      f"Parameters?",
                "zh": f"多层感知机各层宽度为 {arch}（全连接层，含偏置）。共有多少个参数？"},
        answer=float(total), decimals=0,
        solution={"en": f"Σ (in·out + out) = {terms} = {total:,}",
                  "zh": f"Σ (输入·输出 + 输出) = {terms} = {total:,}"},
        traps=[
            trap(sum(i * o for i, o in zip(sizes[:-1], sizes[1:], strict=True)),
                 "the weights only, without the biases", "只算了权重，漏了偏置"),
        ],
    )


@template("multilayer-perceptron", "forward")
def mlp_forward(rng) -> Question:
    x = draws(rng, 2, -2.0, 2.0)
    w1 = [draws(rng, 2, -1.5, 1.5), draws(rng, 2, -1.5, 1.5)]
    b1 = draws(rng, 2, -1.0, 1.0, nonzero=False)
    w2, b2 = [draws(rng, 2, -1.5, 1.5)], [draw(rng, -1.0, 1.0, nonzero=False)]
    z, _ = nn.linear_forward([x], w1, b1)
    h = nn.relu(z)
    out, _ = nn.linear_forward(h, w2, b2)
    zs, hs, o = floats(z), floats(h), clean(out[0, 0])
    rows = "[" + ", ".join(f"{_p(r[0])}·{_p(x[0])} + {_p(r[1])}·{_p(x[1])} + {_p(bi)}"
                           for r, bi in zip(w1, b1, strict=True)) + "]"
    return Question(
        "multilayer-perceptron", "forward",
        prompt={"en": f"MLP 2 → 2 → 1 with ReLU: W₁ = {mat(w1)}, b₁ = {vec(b1)}, W₂ = {mat(w2)}, "
                      f"b₂ = {show(b2[0])}, input x = {vec(x)}. Output ŷ = W₂·relu(W₁x + b₁) + b₂?",
                "zh": f"多层感知机 2 → 2 → 1，激活函数 ReLU：W₁ = {mat(w1)}，b₁ = {vec(b1)}，W₂ = "
                      f"{mat(w2)}，b₂ = {show(b2[0])}，输入 x = {vec(x)}。"
                      f"输出 ŷ = W₂·relu(W₁x + b₁) "
                      f"+ b₂ 是多少？"},
        answer=o, decimals=3,
        solution={"en": f"hidden z = W₁x + b₁ = {rows} = {vec(zs)}; h = relu(z) = {vec(hs)}; "
                        "output ŷ = "
                        f"{_p(w2[0][0])}·{_p(hs[0])} + {_p(w2[0][1])}·{_p(hs[1])} + {_p(b2[0])} = "
                        f"{show(o)}",
                  "zh": f"隐藏层 z = W₁x + b₁ = {rows} = {vec(zs)}；h = relu(z) = {vec(hs)}；"
                        "输出 ŷ = "
                        f"{_p(w2[0][0])}·{_p(hs[0])} + {_p(w2[0][1])}·{_p(hs[1])} + {_p(b2[0])} = "
                        f"{show(o)}"},
        traps=[
            trap(clean(float(np.dot(w2[0], zs)) + b2[0]), "the ReLU left out",
                 "漏了 ReLU"),
        ],
    )


@template("multilayer-perceptron", "linear-collapse")
def mlp_collapse(rng) -> Question:
    w1 = [draws(rng, 2, -2.0, 2.0), draws(rng, 2, -2.0, 2.0)]
    w2 = [draws(rng, 2, -2.0, 2.0)]
    eye = np.eye(2)
    # the product W₂W₁ read off the network itself: its output for each unit input
    h, _ = nn.linear_forward(eye, w1, None)
    out, _ = nn.linear_forward(h, w2, None)
    w = floats(out[:, 0])
    return Question(
        "multilayer-perceptron", "linear-collapse",
        prompt={"en": f"Two linear layers with no activation between them and no biases: W₁ = "
                      f"{mat(w1)}, W₂ = {mat(w2)}. The single layer W with the same output, "
                      f"W = W₂W₁?",
                "zh": f"两个线性层之间没有激活函数，也没有偏置：W₁ = {mat(w1)}，W₂ = {mat(w2)}。"
                      f"输出相同的单层权重 W = W₂W₁ 是多少？"},
        answer=w, kind="vector", decimals=3,
        solution={"en": f"W₂W₁ = [{_p(w2[0][0])}·{_p(w1[0][0])} + {_p(w2[0][1])}·{_p(w1[1][0])}, "
                        f"{_p(w2[0][0])}·{_p(w1[0][1])} + {_p(w2[0][1])}·{_p(w1[1][1])}] = "
                        f"{vec(w)}: without a nonlinearity the hidden layer adds nothing",
                  "zh": f"W₂W₁ = [{_p(w2[0][0])}·{_p(w1[0][0])} + {_p(w2[0][1])}·{_p(w1[1][0])}, "
                        f"{_p(w2[0][0])}·{_p(w1[0][1])} + {_p(w2[0][1])}·{_p(w1[1][1])}] = "
                        f"{vec(w)}：没有非线性激活函数，隐藏层什么也没增加"},
        traps=[
            trap([w2[0][0] * row[0] + w2[0][1] * row[1] for row in w1],
                 "W₂ times the rows of W₁, not its columns",
                 "W₂ 乘的是 W₁ 的行，而不是列"),
        ],
    )
