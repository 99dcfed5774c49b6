"""The race's 2-D surface: vectorised value and gradient against torch autograd, and its local minima."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from mathcore import config, surfaces
from mathcore.errors import ConfigError


def torch_surface(cfg):
    """The formula of [optim]'s surface written again in torch, from the config's numbers."""
    o = cfg.optim
    c = torch.tensor(o.surface_centres, dtype=torch.float64)
    d = torch.tensor(o.surface_depths, dtype=torch.float64)
    s = torch.tensor(o.surface_widths, dtype=torch.float64)

    def f(p):  # p: (..., 2)
        r2 = ((p[..., None, :] - c) ** 2).sum(-1)
        return 0.5 * o.surface_bowl * (p**2).sum(-1) - (d * torch.exp(-r2 / (2 * s**2))).sum(-1)

    return f


@pytest.fixture(scope="module")
def cfg():
    return config.load()


def test_value_and_gradient_match_autograd(cfg):
    surf, f = surfaces.from_config(cfg), torch_surface(cfg)
    pts = np.random.default_rng(0).uniform(-1.5, 1.5, size=(7, 9, 2))  # any array shape
    p = torch.tensor(pts, requires_grad=True)
    f(p).sum().backward()
    np.testing.assert_allclose(surf.value(pts[..., 0], pts[..., 1]), f(p).detach().numpy(), rtol=1e-12, atol=1e-14)
    gx, gy = surf.gradient(pts[..., 0], pts[..., 1])
    np.testing.assert_allclose(np.stack([gx, gy], -1), p.grad.numpy(), rtol=1e-11, atol=1e-13)
    c, g = surf.value_grad(pts[2, 3])
    assert c == pytest.approx(float(f(torch.tensor(pts[2, 3])))) and g == pytest.approx(p.grad.numpy()[2, 3])


def test_grid_orientation(cfg):
    surf = surfaces.from_config(cfg)
    grid = surf.grid(1.5, 31)
    assert grid["z"].shape == (31, 31)
    assert grid["z"][4, 20] == pytest.approx(float(surf.value(grid["x"][20], grid["y"][4])))


def test_the_shipped_surface_has_three_local_minima(cfg):
    """Minima found by the module = the end points of torch GD from a 12×12 grid of starts; each has
    zero autograd gradient and a positive-definite autograd Hessian."""
    o = cfg.optim
    minima = surfaces.from_config(cfg).local_minima(o.surface_extent, o.surface_points)
    assert len(minima) == 3
    assert [m["cost"] for m in minima] == sorted(m["cost"] for m in minima)
    f = torch_surface(cfg)
    for m in minima:
        p = torch.tensor([m["x"], m["y"]], dtype=torch.float64, requires_grad=True)
        f(p).backward()
        assert p.grad.abs().max() < 1e-9
        hess = torch.autograd.functional.hessian(f, p.detach())
        assert torch.linalg.eigvalsh(hess).min() > 0
    axis = torch.linspace(-1.4, 1.4, 12, dtype=torch.float64)
    p = torch.stack(torch.meshgrid(axis, axis, indexing="xy"), -1).reshape(-1, 2).requires_grad_(True)
    opt = torch.optim.SGD([p], lr=0.05, momentum=0.5)
    for _ in range(1500):
        opt.zero_grad()
        f(p).sum().backward()
        opt.step()
    ends = p.detach().numpy()
    found = np.array([[m["x"], m["y"]] for m in minima])
    dist = np.linalg.norm(ends[:, None, :] - found[None, :, :], axis=-1)
    assert dist.min(axis=1).max() < 1e-6  # every start ends in one of the three
    assert set(dist.argmin(axis=1)) == {0, 1, 2}  # and each of the three is reached


def test_depths_must_match_centres(write_config):
    path = write_config("[optim]\nsurface_depths = [1.0, 2.0]\n")
    with pytest.raises(ConfigError) as info:
        surfaces.from_config(config.load(path))
    assert str(info.value).startswith(f"{path}: optim.surface_depths: expected a list of 3 numbers")


@pytest.mark.parametrize("text,key", [
    ("[optim]\nsurface_widths = [0.3, 0.0, 0.4]\n", "optim.surface_widths"),
    ("[optim]\nsurface_centres = [[0.0, 1.0, 2.0]]\n", "optim.surface_centres"),
    ("[optim]\nstart = [1.0]\n", "optim.start"),
])
def test_surface_config_errors(write_config, text, key):
    path = write_config(text)
    with pytest.raises(ConfigError, match=f"{key}: expected"):
        config.load(path)
