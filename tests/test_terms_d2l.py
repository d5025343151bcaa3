"""Every card's Chinese title uses d2l-zh's standard term for its concept, and the names it was
known by before stay aliases, so `dlref show <old term>` still finds it.

The terms come from d2l-zh (https://github.com/d2l-ai/d2l-zh, commit e6b18cc, 2023-08-17):
its glossary TERMINOLOGY.md, else the chapter where the book defines or titles the concept. Each
entry names the file and line. A concept d2l-zh never names is listed in NO_D2L_TERM instead;
every card is in exactly one of the two tables, so a new card has to be looked up too.
"""

from __future__ import annotations

import pytest

from dlref.cards import Library, normalize

LIBRARY = Library.load()

MLP = "chapter_multilayer-perceptrons"
OPT = "chapter_optimization"
ATT = "chapter_attention-mechanisms"
CNN = "chapter_convolutional-neural-networks"
MODERN = "chapter_convolutional-modern"
CV = "chapter_computer-vision"

# card id → (d2l-zh term(s) the Chinese title must contain, where d2l-zh says so)
D2L_TERMS: dict[str, tuple[tuple[str, ...], str]] = {
    "accuracy": (("准确率",), "TERMINOLOGY.md:277 准确率/精度，accuracy"),
    "activation-function": (("激活函数",), "TERMINOLOGY.md:99 激活函数，activation function"),
    "adagrad": (("AdaGrad算法",), f"{OPT}/adagrad.md:1 # AdaGrad算法"),
    "adam": (("Adam算法",), f"{OPT}/adam.md:1 # Adam算法"),
    "attention": (("注意力机制",), "TERMINOLOGY.md:271 注意力机制，attention mechanism"),
    "backpropagation": (("反向传播",), f"{MLP}/backprop.md:67 ## 反向传播"),
    "batch-normalization": (("批量规范化",), f"{MODERN}/batch-norm.md:1 # 批量规范化"),
    "causal-attention": (("掩蔽",), f"{ATT}/transformer.md:547 掩蔽多头解码器自注意力层"),
    "cnn": (("卷积神经网络",), "TERMINOLOGY.md:111 卷积神经网络"),
    "convolution": (("卷积层",), f"{CNN}/conv-layer.md:96 ## 卷积层"),
    "cross-entropy": (("交叉熵",), "TERMINOLOGY.md:131 交叉熵，cross-entropy"),
    # 图像增广 is the chapter (chapter_computer-vision/image-augmentation.md:1); the general
    # term with the same 增广 is used at fine-tuning.md:129
    "data-augmentation": (("数据增广",), f"{CV}/fine-tuning.md:129 数据增广"),
    "dropout": (("暂退法",), "TERMINOLOGY.md:47 暂退法，dropout"),
    "early-stopping": (("早停",), f"{MLP}/underfit-overfit.md:135 *早停*（early stopping）"),
    "embedding": (("词嵌入",), "TERMINOLOGY.md:27 词嵌入，word embedding"),
    "encoder-decoder": (("编码器-解码器",), "chapter_recurrent-modern/encoder-decoder.md:1"),
    "exploding-gradient": (("梯度爆炸", "梯度裁剪"),
                           f"{MLP}/numerical-stability-and-init.md:44 *梯度爆炸*; "
                           "TERMINOLOGY.md:207 梯度裁剪，gradient clipping"),
    "gelu": (("高斯误差线性单元",),
             "chapter_natural-language-processing-pretraining/bert.md:570 高斯误差线性单元"),
    "gradient-descent": (("梯度下降",), f"{OPT}/gd.md:1 # 梯度下降"),
    "gradient": (("梯度",), "TERMINOLOGY.md:205 梯度，gradient"),
    "gru": (("门控循环单元",), "TERMINOLOGY.md:141 门控循环单元，gated recurrent units"),
    "l1-regularization": (("L1正则化",), f"{MLP}/weight-decay.md:80 $L_1$正则化"),
    "l2-regularization": (("L2正则化", "权重衰减"),
                          f"{MLP}/weight-decay.md:1 # 权重衰减; :33 $L_2$*正则化*"),
    "label-smoothing": (("标签平滑",), f"{MODERN}/googlenet.md:428 标签平滑"),
    "layer-normalization": (("层规范化",), f"{ATT}/transformer.md:14 *层规范化*"),
    "learning-rate-schedule": (("学习率调度器",), f"{OPT}/lr-scheduler.md:1 # 学习率调度器"),
    "loss-function": (("损失函数",), "TERMINOLOGY.md:195 损失函数，loss function"),
    "lstm": (("长短期记忆网络",), "TERMINOLOGY.md:15 长短期记忆网络"),
    "mae": (("平均绝对误差",), f"{CV}/ssd.md:594 *平均绝对误差*"),
    "minibatch-sgd": (("小批量随机梯度下降",), f"{OPT}/minibatch-sgd.md:1"),
    "model-selection": (("模型选择",), f"{MLP}/underfit-overfit.md:153 ## 模型选择"),
    "momentum": (("动量法",), "TERMINOLOGY.md:49 动量法，momentum (method)"),
    "mse": (("均方误差",), "TERMINOLOGY.md:117 均方误差，mean squared error"),
    "multi-head-attention": (("多头注意力",), "TERMINOLOGY.md:57 多头注意力"),
    "multilayer-perceptron": (("多层感知机",), "TERMINOLOGY.md:55 多层感知机"),
    "neural-network": (("神经网络",), "chapter_introduction/index.md:598 *神经网络*"),
    "neuron": (("神经元",), "chapter_linear-networks/linear-regression.md:451 人工神经元"),
    "one-hot-encoding": (("独热编码",),
                         "chapter_linear-networks/softmax-regression.md:40 *独热编码*"),
    "overfitting": (("过拟合",), "TERMINOLOGY.md:89 过拟合，overfitting"),
    "pooling": (("汇聚层",), "TERMINOLOGY.md:37 汇聚层，pooling layer"),
    "positional-encoding": (("位置编码",),
                            f"{ATT}/self-attention-and-positional-encoding.md:142"),
    "prelu": (("参数化ReLU",), f"{MLP}/mlp.md:288 *参数化ReLU*（Parameterized ReLU）"),
    "relu": (("修正线性单元",), f"{MLP}/mlp.md:211 *修正线性单元*（Rectified linear unit）"),
    "residual-connection": (("残差连接",), f"{ATT}/transformer.md:14 *残差连接*"),
    "rmsprop": (("RMSProp算法",), f"{OPT}/rmsprop.md:1 # RMSProp算法"),
    "rnn": (("循环神经网络",), "TERMINOLOGY.md:245 循环神经网络"),
    "saddle-point": (("鞍点",), "TERMINOLOGY.md:3 鞍点，saddle point"),
    "self-attention": (("自注意力",), "TERMINOLOGY.md:263 自注意力，self-attention"),
    "sigmoid": (("sigmoid函数",), f"{MLP}/mlp.md:294 ### sigmoid函数"),
    "softmax": (("softmax函数",), "chapter_linear-networks/softmax-regression.md:118"),
    "supervised-learning": (("监督学习",), "chapter_introduction/index.md:202 *监督学习*"),
    "tanh": (("tanh", "双曲正切"), f"{MLP}/mlp.md:383 tanh(双曲正切)函数"),
    "transfer-learning": (("迁移学习", "微调"),
                          f"{CV}/fine-tuning.md:19 *迁移学习*; :25 *微调*"),
    "transformer": (("Transformer",), f"{ATT}/transformer.md:1 # Transformer"),
    "universal-approximation": (("通用近似定理",), f"{MLP}/mlp.md:154 ### 通用近似定理"),
    "vanishing-gradient": (("梯度消失",), "TERMINOLOGY.md:209 梯度消失，vanishing gradients"),
    "weight-initialization": (("参数初始化",),
                              f"{MLP}/numerical-stability-and-init.md:192 ## 参数初始化"),
}

# Concepts d2l-zh gives no Chinese term for (searched in TERMINOLOGY.md and every chapter):
# their titles stay as they are.
NO_D2L_TERM = {"adamw", "deep-belief-network", "elu", "f1-score", "leaky-relu", "silu"}

# Cards retitled to d2l-zh's term: the title's main term (before its bracketed gloss) is exactly
# d2l-zh's, and the names the card had before are aliases.
RETITLED: dict[str, tuple[str, list[str]]] = {
    "relu": ("修正线性单元", ["线性整流函数", "线性整流单元"]),
    "universal-approximation": ("通用近似定理", ["万能近似定理"]),
    "early-stopping": ("早停", ["提前停止"]),
    "weight-initialization": ("参数初始化", ["权重初始化"]),
}


# Cards whose title keeps another term than d2l-zh's, on purpose; d2l-zh's is an alias.
# precision-recall: d2l-zh's 查准率 (TERMINOLOGY.md:21) comes from 查准率/查全率 (Zhou Zhihua's
# pair); d2l-zh has no term for recall and never uses 查准率 in a chapter, so 查准率与召回率
# would mix two conventions; the title keeps the common pair 精确率与召回率.
KEPT = {"precision-recall": ("精确率与召回率", ["查准率", "查全率"])}


def test_every_card_was_looked_up_in_d2l_zh():
    assert set(D2L_TERMS).isdisjoint(NO_D2L_TERM) and set(KEPT).isdisjoint(D2L_TERMS)
    looked_up = set(D2L_TERMS) | NO_D2L_TERM | set(KEPT)
    assert looked_up == set(LIBRARY.cards), sorted(set(LIBRARY.cards) ^ looked_up)


@pytest.mark.parametrize("card_id", sorted(KEPT))
def test_a_title_kept_on_purpose_finds_its_card_by_d2l_zhs_term(card_id):
    card = LIBRARY.cards[card_id]
    title, d2l_terms = KEPT[card_id]
    assert card.main_title_in("zh") == title
    for term in d2l_terms:
        assert LIBRARY.find(term) is card, term


@pytest.mark.parametrize("card_id", sorted(D2L_TERMS))
def test_chinese_title_uses_the_d2l_term(card_id):
    terms, source = D2L_TERMS[card_id]
    title = LIBRARY.cards[card_id].title["zh"]
    for term in terms:
        assert normalize(term) in normalize(title), (title, term, source)


@pytest.mark.parametrize("card_id", sorted(RETITLED))
def test_retitled_cards_lead_with_the_d2l_term_and_keep_their_old_names(card_id):
    card = LIBRARY.cards[card_id]
    main, old_names = RETITLED[card_id]
    assert card.main_title_in("zh") == main
    assert main.startswith(D2L_TERMS[card_id][0][0])
    aliases = {normalize(a) for a in card.aliases.get("zh", [])}
    for old in old_names:
        assert normalize(old) in aliases, old
        assert LIBRARY.find(old) is card, old


@pytest.mark.parametrize("card_id", sorted(RETITLED))
def test_retitled_cards_say_the_d2l_term_in_their_definition(card_id):
    """The definition names the concept with the title's term, not the old one."""
    card = LIBRARY.cards[card_id]
    main, old_names = RETITLED[card_id]
    definition = card.section("zh", "definition").text
    assert D2L_TERMS[card_id][0][0] in definition
    for old in old_names:
        assert f"**{old}**" not in definition
