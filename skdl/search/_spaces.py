"""Default search spaces: ``(trial) -> params`` functions per estimator family.

They only call ``trial.suggest_*``, so this module needs no Optuna import.
Depth and widths are sampled as numbers and turned into the tuples the
estimators take (Optuna's categorical choices cannot be tuples).
"""


def dense_space(trial):
    """Learning rate, batch size, depth, width, dropout, weight decay."""
    depth = trial.suggest_int("n_hidden_layers", 1, 3)
    width = trial.suggest_int("width", 16, 512, log=True)
    return {
        "lr": trial.suggest_float("lr", 1e-4, 1e-1, log=True),
        "batch_size": trial.suggest_categorical("batch_size", [32, 64, 128, 256]),
        "hidden_layer_sizes": (width,) * depth,
        "dropout": trial.suggest_float("dropout", 0.0, 0.5),
        "weight_decay": trial.suggest_float("weight_decay", 1e-6, 1e-2, log=True),
    }


def sequence_cnn_space(trial):
    """Learning rate, batch size, embedding, conv depth/width/kernel, pooling,
    dense width, dropouts, weight decay."""
    depth = trial.suggest_int("n_conv_layers", 1, 3)
    filters = trial.suggest_int("conv_filters", 16, 128, log=True)
    return {
        "lr": trial.suggest_float("lr", 1e-4, 3e-2, log=True),
        "batch_size": trial.suggest_categorical("batch_size", [32, 64, 128]),
        "embedding_dim": trial.suggest_categorical("embedding_dim", [8, 16, 32, 64]),
        "conv_filters": (filters,) * depth,
        "kernel_sizes": trial.suggest_categorical("kernel_sizes", [3, 5, 7, 9]),
        "pool_sizes": trial.suggest_categorical("pool_sizes", [1, 2]),
        "global_pooling": trial.suggest_categorical(
            "global_pooling", ["max", "mean", "max_mean"]
        ),
        "hidden_layer_sizes": (trial.suggest_int("dense_width", 16, 256, log=True),),
        "dense_activation": "relu",
        "dropout": trial.suggest_float("dropout", 0.0, 0.5),
        "spatial_dropout": trial.suggest_float("spatial_dropout", 0.0, 0.3),
        "weight_decay": trial.suggest_float("weight_decay", 1e-6, 1e-2, log=True),
    }
