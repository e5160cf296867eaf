"""ImageCNNModule, its blocks and ImageAugment, as plain torch modules."""

import pytest
import torch

from skdl.networks import ImageAugment, ImageCNNModule, ImageConvBlock
from skdl.networks._image import check_augment


def images(n=4, c=1, h=8, w=8, seed=0):
    return torch.rand(n, c, h, w, generator=torch.Generator().manual_seed(seed))


@pytest.mark.parametrize("global_pooling", ["avg", "max", "avg_max", "flatten"])
@pytest.mark.parametrize("shape", [(1, 8, 8), (3, 28, 28), (2, 5, 11), (1, 1, 7)])
def test_output_shape_for_every_pooling_and_size(global_pooling, shape):
    net = ImageCNNModule(3, *shape, global_pooling=global_pooling).eval()
    out = net(images(2, *shape))
    assert out.shape == (2, 3) and torch.isfinite(out).all()


def test_course_mnist_network_has_the_keras_parameter_count():
    # conv 5x5x32, pool 2, conv 5x5x64, pool 2, flatten 7*7*64, dense 1000,
    # 10 outputs: Keras counts 832 + 51,264 + 3,137,000 + 10,010 parameters.
    net = ImageCNNModule(
        10, 1, 28, 28, conv_filters=(32, 64), kernel_sizes=5,
        global_pooling="flatten", hidden_layer_sizes=(1000,), batch_norm=False,
    )  # fmt: skip
    assert sum(p.numel() for p in net.parameters()) == 3_199_106
    assert net.eval()(images(2, 1, 28, 28)).shape == (2, 10)


@pytest.mark.parametrize("kernel", [2, 3, 4, 5])
@pytest.mark.parametrize("stride", [1, 2, 3])
def test_same_padding_sizes_and_out_size_agree(kernel, stride):
    block = ImageConvBlock(2, 4, kernel_size=kernel, stride=stride, pool_size=2)
    for size in (1, 5, 8, 9):
        out = block(torch.zeros(1, 2, size, size + 1))
        assert out.shape[2:] == (block.out_size(size), block.out_size(size + 1))
        if stride == 1:  # "same": the size before pooling is kept
            assert block.out_size(size) == -(-size // 2)


def test_valid_padding_shrinks_and_too_small_images_are_refused():
    net = ImageCNNModule(
        2, 1, 8, 8, conv_filters=(4,), padding="valid", pool_sizes=1,
        global_pooling="flatten",
    )  # fmt: skip
    assert net.head.hidden[0].body[0].in_features == 4 * 6 * 6
    with pytest.raises(ValueError, match=r"too small for conv block 2"):
        ImageCNNModule(2, 1, 4, 4, conv_filters=(4, 4), kernel_sizes=3,
                       padding="valid")  # fmt: skip


def test_residual_blocks_project_where_channels_or_stride_change():
    same = ImageConvBlock(4, 4, residual=True)
    wider = ImageConvBlock(4, 8, residual=True, stride=2)
    assert isinstance(same.shortcut, torch.nn.Identity)
    assert isinstance(wider.shortcut, torch.nn.Conv2d)
    assert wider.shortcut.stride == (2, 2)
    x = images(2, 4, 7, 7)
    assert wider(x).shape == (2, 8, 4, 4)
    with pytest.raises(ValueError, match="padding='same'"):
        ImageConvBlock(4, 4, residual=True, padding="valid")


def test_augment_is_identity_in_eval_mode_and_random_in_training():
    aug = ImageAugment(shift=0.2, hflip=True, vflip=True, rotation=20, noise=0.1)
    x = images(8)
    assert aug.eval()(x) is x
    aug.train()
    torch.manual_seed(0)
    a = aug(x)
    torch.manual_seed(0)
    b = aug(x)
    c = aug(x)
    assert a.shape == x.shape
    assert torch.equal(a, b) and not torch.equal(a, c)
    assert not torch.allclose(a, x)


def test_flips_alone_mirror_each_image_exactly_or_leave_it():
    x = images(16, 2, 5, 6)
    torch.manual_seed(1)
    out = ImageAugment(hflip=True).train()(x)
    mirrored = x.flip(3)
    seen = set()
    for i in range(len(x)):
        if torch.allclose(out[i], x[i], atol=1e-6):
            seen.add("kept")
        else:
            torch.testing.assert_close(out[i], mirrored[i], atol=1e-6, rtol=0)
            seen.add("mirrored")
    assert seen == {"kept", "mirrored"}


def test_shift_moves_content_by_at_most_the_fraction():
    x = torch.zeros(32, 1, 10, 10)
    x[:, :, 4:6, 4:6] = 1.0
    torch.manual_seed(0)
    out = ImageAugment(shift=0.2).train()(x)
    rows = (out[:, 0] > 0.01).any(2)
    # A 20% shift of 10 pixels moves the square by at most 2 pixels.
    first = rows.float().argmax(1)
    assert first.min() >= 2 and first.max() <= 6
    assert len(set(first.tolist())) > 1


def test_noise_only_adds_noise_of_that_scale():
    x = torch.zeros(64, 1, 8, 8)
    torch.manual_seed(0)
    out = ImageAugment(noise=0.5).train()(x)
    assert abs(out.std().item() - 0.5) < 0.02


@pytest.mark.parametrize(
    "augment, match",
    [
        ([("shift", 0.1)], "None or a dict"),
        ({"zoom": 0.1}, r"unknown keys \['zoom'\]"),
        ({"shift": 2}, r"augment\['shift'\] must be in \[0, 1\]"),
        ({"rotation": -5}, r"augment\['rotation'\] must be in"),
        ({"hflip": 1}, "True or False"),
        ({"noise": "a"}, "must be a number"),
    ],
)
def test_bad_augment_settings_are_refused(augment, match):
    with pytest.raises(ValueError, match=match):
        check_augment(augment)


def test_batch_of_one_and_batch_norm_train_step():
    net = ImageCNNModule(2, 1, 8, 8)
    net.train()
    out = net(images(3))
    out.sum().backward()
    assert all(p.grad is not None for p in net.parameters() if p.requires_grad)
    assert net.eval()(images(1)).shape == (1, 2)
