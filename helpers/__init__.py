"""Shared helper code for the MNIST-from-scratch notebook series.

Importing this package does nothing but define functions: no data is loaded, nothing is printed
or plotted. Each function's docstring names the notebook that teaches it and the shapes it takes.

    from helpers import load_data, one_hot, init_params, forward_prop, backward_prop, update_params
"""

from .blocks import (
    BLOCK_SIZE,
    Block,
    block_gradients,
    block_loss_accuracy,
    forward_block,
    ink_box,
    ink_groups,
    kept_fraction,
    make_blocks,
)
from .checks import (
    CheckFailed,
    check_backward_prop,
    check_confusion_matrix,
    check_forward_prop,
    check_momentum_step,
    check_one_hot,
    check_recall_precision,
    check_softmax,
    check_update_params,
)
from .data import (
    DEFAULT_PATH,
    ENV_VAR,
    IMAGE_SIDE,
    N_CLASSES,
    N_DEV,
    N_PIXELS,
    DatasetError,
    array_sha256,
    check_labels,
    check_X,
    find_mnist,
    images_to_X,
    load_data,
    load_mnist,
    one_hot,
    train_dev_split,
)
from .network import (
    N_HIDDEN,
    PARAM_SHAPES,
    accuracy,
    backward_prop,
    check_params,
    cross_entropy_loss,
    forward_prop,
    get_accuracy,
    get_predictions,
    init_params,
    leaky_relu,
    make_predictions,
    network_size,
    predict,
    predict_proba,
    relu,
    relu_derivative,
    softmax,
    update_params,
)
from .plots import (
    block_column,
    calibration_bins,
    confusion_matrix,
    label_counts,
    misclassified,
    plot_activations,
    plot_blocks,
    plot_computation_graph,
    plot_confusion_matrix,
    plot_digit_grid,
    plot_hidden_units,
    plot_history,
    plot_label_histogram,
    plot_misclassified,
    plot_reliability,
    plot_step_errors,
    plot_step_sizes,
    plot_training_runs,
    plot_unit_responses,
    plot_votes,
    readme_folder,
    readme_picture,
    show_digit,
    test_prediction,
)
from .progress import Progress
from .source import print_source, source_lines
from .stats import McNemar, accuracy_se, difference_se, mcnemar, recall_precision, with_se
from .training import (
    BETTER,
    TrainingDiverged,
    batches,
    cosine_schedule,
    evaluate,
    gradient_descent,
    l2_gradients,
    minibatch_sgd,
    momentum_step,
    plain_gradient_descent,
    quadratic_descent,
    top_curvature,
    train_better_network,
    train_seed_network,
)
from .widgets import (  # ipywidgets itself is imported only when a builder is called
    format_values,
    forward_stepper,
    forward_steps,
    hidden_unit_summary,
    hidden_unit_view,
    hidden_unit_viewer,
    mistake_indices,
    prediction_browser,
    prediction_view,
    top_exciting,
    train_explorer_run,
    training_explorer,
    unit_digit_means,
)
