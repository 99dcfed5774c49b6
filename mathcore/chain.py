"""The scalar chain of the forward- and backward-pass slides.

    z_i = w_i h_(i-1) + b_i,   h_i = σ(z_i),   h_0 = x,   output h_L

Gradients are of the output h_L. The local factors are the ones the chain-rule
slides multiply: ∂z_(i+1)/∂h_i = w_(i+1) and ∂h_i/∂z_i = σ'(z_i).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from . import activations
from .errors import ConfigError, NonFinite, check_finite


@dataclass(frozen=True)
class ChainResult:
    x: float
    w: list[float]
    b: list[float]
    activation: str
    z: list[float]
    h: list[float]
    output: float
    grad_z: list[float]  # ∂h_L/∂z_i
    grad_w: list[float]  # ∂h_L/∂w_i = ∂h_L/∂z_i · h_(i-1)
    grad_b: list[float]  # ∂h_L/∂b_i = ∂h_L/∂z_i · 1
    dh_dz: list[float]  # σ'(z_i)
    dz_next_dh: list[float]  # ∂z_(i+1)/∂h_i = w_(i+1), for i = 1..L-1

    @property
    def layers(self) -> int:
        return len(self.w)

    @property
    def inputs(self) -> list[float]:
        """h_0 .. h_(L-1): what each layer's weight multiplies."""
        return [self.x, *self.h[:-1]]

    def to_dict(self) -> dict:
        return asdict(self)


def run(x: float, w, b, activation: str = "relu") -> ChainResult:
    """Forward pass, then backward pass by the chain rule, layer by layer."""
    w, b = [float(v) for v in w], [float(v) for v in b]
    if len(w) != len(b) or not w:
        raise ValueError("w and b of the same, non-zero length")
    sigma, dsigma = activations.get(activation)
    z, h = [], []
    prev = float(x)
    for wi, bi in zip(w, b):
        z.append(wi * prev + bi)
        prev = float(sigma(z[-1]))
        h.append(prev)
    dh_dz = [float(dsigma(zi)) for zi in z]
    grad_z = [0.0] * len(w)
    upstream = 1.0  # ∂h_L/∂h_L
    for i in reversed(range(len(w))):
        grad_z[i] = upstream * dh_dz[i]
        upstream = grad_z[i] * w[i]  # ∂h_L/∂h_(i-1)
    inputs = [float(x), *h[:-1]]
    grad_w = [g * hin for g, hin in zip(grad_z, inputs)]
    # Overflow gives inf (or nan: inf - inf, 0 * inf) silently; one such number makes the rest meaningless.
    check_finite({"z": z, "h": h, "σ'(z)": dh_dz, "∂h_L/∂z": grad_z, "∂h_L/∂w": grad_w})
    return ChainResult(
        x=float(x),
        w=w,
        b=b,
        activation=activation,
        z=z,
        h=h,
        output=h[-1],
        grad_z=grad_z,
        grad_w=grad_w,
        grad_b=list(grad_z),
        dh_dz=dh_dz,
        dz_next_dh=w[1:],
    )


def from_config(cfg, source: str | None = None) -> ChainResult:
    """The chain of a LectureConfig's [chain] section; a chain that overflows is a ConfigError (of ``source``,
    by default the config file)."""
    c = cfg.chain
    try:
        return run(c.x, c.w, c.b, c.activation)
    except NonFinite as exc:
        raise ConfigError(source or cfg.path, "chain",
                          f"x, w and b whose intermediate results stay finite ({exc})") from None
