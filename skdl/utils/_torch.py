"""Small torch helpers: devices, seeds and threads scoped to one call."""

import contextlib

import numpy as np
import torch
from sklearn.utils import check_random_state


def resolve_device(device, name="skdl"):
    """The torch device string to use for ``device``, checked to exist.

    "auto" becomes "cuda" when a GPU is visible, else "cpu". Anything torch
    does not know as a device, or a device this machine lacks, raises a
    ``ValueError`` naming the estimator ``name``.
    """
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    hint = "Use device='cpu', 'cuda', 'cuda:<index>' or 'auto'."
    try:
        parsed = torch.device(device)
        kind = parsed.type
    except (RuntimeError, TypeError):
        raise ValueError(
            f"{name}: device={device!r} is not a torch device name. {hint}"
        ) from None
    if kind == "cpu":
        return str(device)
    if kind == "cuda":
        available = torch.cuda.is_available()
    else:  # mps, xpu, ...: torch.<kind>.is_available() where torch has it
        backend = getattr(torch.backends, kind, None) or getattr(torch, kind, None)
        available = bool(getattr(backend, "is_available", lambda: False)())
    if not available:
        raise ValueError(
            f"{name}: device={device!r} was requested, but torch "
            f"{torch.__version__} sees no {kind.upper()} device on this machine. "
            f"{hint}"
        )
    if kind == "cuda" and (parsed.index or 0) >= torch.cuda.device_count():
        raise ValueError(
            f"{name}: device={device!r} was requested, but torch sees only "
            f"{torch.cuda.device_count()} CUDA device(s). {hint}"
        )
    return str(device)


def draw_seed(random_state):
    """An int seed from sklearn's ``random_state`` convention.

    As in scikit-learn, ``None`` draws the seed from numpy's global RNG (and
    so advances it); an int or a ``RandomState`` leaves the global RNG alone.
    """
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


@contextlib.contextmanager
def torch_scope(*, n_threads, device="cpu", seed=None, rng_state=None):
    """Run a block with local torch threads and a local RNG stream.

    The global RNG states of torch (CPU and the CUDA device in use) are saved
    on entry and restored on exit, so the caller's random streams are not
    touched. Inside, the CPU generator starts from ``rng_state`` when given
    (to continue an earlier stream, as ``partial_fit`` does) or from ``seed``.
    The yielded dict receives the CPU generator's state at exit under
    ``"rng_state"``, so the stream can be continued later.
    """
    old_threads = torch.get_num_threads()
    fork_devices = []
    if str(device).startswith("cuda") and torch.cuda.is_available():
        fork_devices = [torch.device(device).index or 0]
    out = {}
    with torch.random.fork_rng(devices=fork_devices):
        if n_threads is not None and n_threads != old_threads:
            torch.set_num_threads(n_threads)
        try:
            if rng_state is not None:
                torch.set_rng_state(rng_state)
                # CUDA generator states are not kept between calls; draw its
                # seed from the continued CPU stream instead.
                cuda_seed = (
                    int(torch.randint(2**31 - 1, (1,))) if fork_devices else None
                )
            else:
                cuda_seed = seed
                if seed is not None:
                    # Not torch.manual_seed: it would also reseed every GPU,
                    # and only the one in use is forked and restored.
                    torch.default_generator.manual_seed(seed)
            if fork_devices and cuda_seed is not None:
                with torch.cuda.device(fork_devices[0]):
                    torch.cuda.manual_seed(cuda_seed)
            yield out
            out["rng_state"] = torch.get_rng_state()
        finally:
            if torch.get_num_threads() != old_threads:
                torch.set_num_threads(old_threads)
