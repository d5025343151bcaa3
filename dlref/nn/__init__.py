"""NumPy reference kernels: forward, cache, backward, one concept per function.

Pure NumPy, no I/O, semantics mirroring PyTorch, NaN and ±inf included.

Precision: every kernel computes and returns float64, whatever the input's dtype. float32 (or
int) input is converted on the way in, once, and the results are float64 arrays: these are
reference values to check a float32 model against, not a float32 model themselves. The first
float32 (or float16) input in a process says so once, with a UserWarning.

Layers follow CS231n: `<layer>_forward(...) -> (out, cache)` and
`<layer>_backward(dout, cache)` returning the gradients in the order of the forward's inputs.
Other parts of dlref look kernels up by name in `__all__`.
"""

from __future__ import annotations

from dlref.nn.activations import (
    elu,
    elu_grad,
    gelu,
    gelu_grad,
    leaky_relu,
    leaky_relu_grad,
    log_softmax,
    log_softmax_backward,
    prelu,
    prelu_grad,
    prelu_weight_grad,
    relu,
    relu_grad,
    selu,
    selu_grad,
    sigmoid,
    sigmoid_grad,
    silu,
    silu_grad,
    softmax,
    softmax_backward,
    softplus,
    softplus_grad,
    tanh,
    tanh_grad,
)
from dlref.nn.attention import (
    AttentionCache,
    MultiHeadAttentionCache,
    attention_weights,
    causal_mask,
    multi_head_attention_backward,
    multi_head_attention_forward,
    multi_head_attention_num_params,
    scaled_dot_product_attention_backward,
    scaled_dot_product_attention_forward,
)
from dlref.nn.batchnorm import (
    BatchNormCache,
    batchnorm_backward,
    batchnorm_forward,
    batchnorm_steps,
    batchnorm_steps_backward,
)
from dlref.nn.conv import (
    ConvCache,
    ConvGeometry,
    conv2d_backward,
    conv2d_forward,
    conv2d_num_params,
    conv_output_shape,
)
from dlref.nn.data import crop, hflip, kfold_indices, one_hot, random_crop, translate, vflip
from dlref.nn.dropout import dropout_backward, dropout_forward
from dlref.nn.embedding import (
    EmbeddingCache,
    embedding_backward,
    embedding_forward,
    embedding_num_params,
)
from dlref.nn.init import (
    calculate_gain,
    compute_fans,
    default_init,
    kaiming_normal,
    kaiming_uniform,
    orthogonal,
    trunc_normal,
    xavier_normal,
    xavier_uniform,
)
from dlref.nn.linear import linear_backward, linear_forward, linear_num_params
from dlref.nn.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    cross_entropy,
    cross_entropy_grad,
    huber_loss,
    huber_loss_grad,
    l1_loss,
    l1_loss_grad,
    mse_loss,
    mse_loss_grad,
    nll_loss,
    nll_loss_grad,
)
from dlref.nn.metrics import (
    accuracy,
    confusion_matrix,
    f1_score,
    precision,
    precision_recall_f1_from_counts,
    recall,
)
from dlref.nn.normalization import LayerNormCache, layer_norm_backward, layer_norm_forward
from dlref.nn.optim import SGD, Adagrad, Adam, AdamW, Optimizer, RMSprop
from dlref.nn.pooling import (
    AvgPoolCache,
    MaxPoolCache,
    PoolGeometry,
    avg_pool2d_backward,
    avg_pool2d_backward_sums,
    avg_pool2d_forward,
    avg_pool2d_sums,
    max_pool2d_backward,
    max_pool2d_forward,
    max_pool2d_windows,
    pool2d_output_shape,
)
from dlref.nn.positional import sinusoidal_positional_encoding
from dlref.nn.recurrent import (
    GRUCache,
    LSTMCache,
    RNNCache,
    StackCache,
    gru_backward,
    gru_forward,
    gru_gates,
    gru_num_params,
    lstm_backward,
    lstm_forward,
    lstm_gates,
    lstm_num_params,
    recurrent_stack_backward,
    recurrent_stack_forward,
    rnn_backward,
    rnn_forward,
    rnn_num_params,
)
from dlref.nn.regularization import l1_penalty, l1_penalty_grad, l2_penalty, l2_penalty_grad
from dlref.nn.schedules import (
    cosine_annealing_lr,
    linear_lr,
    one_cycle_lr,
    step_lr,
    warmup_cosine_lr,
)
from dlref.nn.training import early_stopping, iterations_per_epoch
from dlref.nn.transformer import (
    TransformerEncoderLayerCache,
    transformer_encoder_layer_backward,
    transformer_encoder_layer_forward,
    transformer_encoder_layer_num_params,
    transformer_encoder_layer_params,
)

#: Where the fast kernel hides its idea, the plain forms it is tested against, by kernel name:
#: `dlref demo … --code` shows them after the kernel.
PLAIN_FORMS = {
    "max_pool2d_forward": ("max_pool2d_windows",),
    "avg_pool2d_forward": ("avg_pool2d_sums", "avg_pool2d_backward_sums"),
    "batchnorm_forward": ("batchnorm_steps", "batchnorm_steps_backward"),
}

__all__ = [
    # activations
    "sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "relu", "relu_grad", "leaky_relu",
    "leaky_relu_grad", "elu", "elu_grad", "prelu", "prelu_grad", "softmax", "log_softmax",
    "prelu_weight_grad", "softmax_backward", "log_softmax_backward", "softplus", "softplus_grad",
    "selu", "selu_grad",
    # losses
    "mse_loss", "mse_loss_grad", "l1_loss", "l1_loss_grad", "cross_entropy",
    "cross_entropy_grad", "binary_cross_entropy", "binary_cross_entropy_grad",
    "nll_loss", "nll_loss_grad", "huber_loss", "huber_loss_grad",
    "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_grad",
    # layers
    "linear_forward", "linear_backward", "linear_num_params",
    "conv2d_forward", "conv2d_backward", "conv2d_num_params", "conv_output_shape",
    "ConvCache", "ConvGeometry",
    "max_pool2d_forward", "max_pool2d_backward", "avg_pool2d_forward", "avg_pool2d_backward",
    "pool2d_output_shape", "max_pool2d_windows", "avg_pool2d_sums", "avg_pool2d_backward_sums",
    "MaxPoolCache", "AvgPoolCache", "PoolGeometry",
    "batchnorm_forward", "batchnorm_backward", "BatchNormCache",
    "batchnorm_steps", "batchnorm_steps_backward",
    "dropout_forward", "dropout_backward",
    "rnn_forward", "rnn_backward", "rnn_num_params", "RNNCache",
    "lstm_forward", "lstm_backward", "lstm_gates", "lstm_num_params", "LSTMCache",
    "gru_forward", "gru_backward", "gru_gates", "gru_num_params", "GRUCache",
    # attention and the Transformer
    "gelu", "gelu_grad", "silu", "silu_grad",
    "scaled_dot_product_attention_forward", "scaled_dot_product_attention_backward",
    "attention_weights", "causal_mask", "AttentionCache",
    "multi_head_attention_forward", "multi_head_attention_backward",
    "multi_head_attention_num_params", "MultiHeadAttentionCache",
    "layer_norm_forward", "layer_norm_backward", "LayerNormCache",
    "embedding_forward", "embedding_backward", "embedding_num_params", "EmbeddingCache",
    "sinusoidal_positional_encoding",
    "transformer_encoder_layer_forward", "transformer_encoder_layer_backward",
    "transformer_encoder_layer_num_params", "transformer_encoder_layer_params",
    "TransformerEncoderLayerCache",
    "recurrent_stack_forward", "recurrent_stack_backward", "StackCache",
    # regularisation
    "l1_penalty", "l1_penalty_grad", "l2_penalty", "l2_penalty_grad",
    # optimisers
    "Optimizer", "SGD", "Adagrad", "RMSprop", "Adam", "AdamW",
    # learning-rate schedules
    "step_lr", "cosine_annealing_lr", "linear_lr", "warmup_cosine_lr", "one_cycle_lr",
    # initialisation
    "compute_fans", "calculate_gain", "xavier_uniform", "xavier_normal", "kaiming_normal",
    "kaiming_uniform", "orthogonal", "trunc_normal", "default_init",
    # metrics
    "confusion_matrix", "precision", "recall", "f1_score", "precision_recall_f1_from_counts",
    "accuracy",
    # data: k-fold splits and augmentation
    "one_hot", "kfold_indices", "hflip", "vflip", "crop", "random_crop", "translate",
    # training bookkeeping
    "iterations_per_epoch", "early_stopping",
]
