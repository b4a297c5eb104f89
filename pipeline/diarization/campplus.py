"""The CAM++ speaker encoder (3D-Speaker), as a pyannote embedding model.

CAM++ (Wang et al., Interspeech 2023, arXiv:2303.00332) is a densely connected TDNN with
context-aware masking over 80-band Kaldi filterbanks, trained on 200,000 Chinese and
English speakers (`iic/speech_campplus_sv_zh_en_16k-common_advanced`, Apache-2.0). On
the synthetic calls it separates voices that GE2E hears as one: the equal error rate
between 1.6 s pieces of different reference speakers was about half GE2E's
(docs/measurements.md).

The network below is 3D-Speaker's `speakerlab/models/campplus` (Apache-2.0, Copyright
3D-Speaker), cut to inference: the module names are kept, so the published state dict
loads as it is.
"""
from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Callable

import torch
import torch.nn.functional as F
import torchaudio.compliance.kaldi as kaldi
from pyannote.audio import Model
from torch import nn


def _bn_relu(channels: int, affine: bool = True) -> nn.Sequential:
    return nn.Sequential(OrderedDict([("batchnorm", nn.BatchNorm1d(channels, affine=affine)),
                                      ("relu", nn.ReLU(inplace=True))]))


class _ResBlock(nn.Module):
    def __init__(self, in_planes: int, planes: int, stride: int = 1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=(stride, 1), padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride=(stride, 1), bias=False),
                                          nn.BatchNorm2d(planes))

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + self.shortcut(x))


class _FCM(nn.Module):
    """2-D convolutional front end over the filterbank: (B, F, T) -> (B, 32 * F / 8, T)."""

    def __init__(self, channels: int = 32, feat_dim: int = 80):
        super().__init__()
        self.conv1 = nn.Conv2d(1, channels, 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.layer1 = nn.Sequential(_ResBlock(channels, channels, 2), _ResBlock(channels, channels))
        self.layer2 = nn.Sequential(_ResBlock(channels, channels, 2), _ResBlock(channels, channels))
        self.conv2 = nn.Conv2d(channels, channels, 3, stride=(2, 1), padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.out_channels = channels * (feat_dim // 8)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x.unsqueeze(1))))
        out = F.relu(self.bn2(self.conv2(self.layer2(self.layer1(out)))))
        return out.reshape(out.shape[0], out.shape[1] * out.shape[2], out.shape[3])


class _TDNN(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1):
        super().__init__()
        self.linear = nn.Conv1d(in_channels, out_channels, kernel_size, stride=stride,
                                padding=(kernel_size - 1) // 2, bias=False)
        self.nonlinear = _bn_relu(out_channels)

    def forward(self, x):
        return self.nonlinear(self.linear(x))


class _CAMLayer(nn.Module):
    """A convolution masked by what the whole input and its 100-frame segments sound like."""

    def __init__(self, bn_channels: int, out_channels: int, kernel_size: int, dilation: int):
        super().__init__()
        self.linear_local = nn.Conv1d(bn_channels, out_channels, kernel_size,
                                      padding=(kernel_size - 1) // 2 * dilation, dilation=dilation, bias=False)
        self.linear1 = nn.Conv1d(bn_channels, bn_channels // 2, 1)
        self.relu = nn.ReLU(inplace=True)
        self.linear2 = nn.Conv1d(bn_channels // 2, out_channels, 1)

    def forward(self, x):
        segments = F.avg_pool1d(x, kernel_size=100, stride=100, ceil_mode=True)
        segments = segments.repeat_interleave(100, dim=-1)[..., : x.shape[-1]]
        context = self.relu(self.linear1(x.mean(-1, keepdim=True) + segments))
        return self.linear_local(x) * torch.sigmoid(self.linear2(context))


class _CAMDenseLayer(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, bn_channels: int, dilation: int):
        super().__init__()
        self.nonlinear1 = _bn_relu(in_channels)
        self.linear1 = nn.Conv1d(in_channels, bn_channels, 1, bias=False)
        self.nonlinear2 = _bn_relu(bn_channels)
        self.cam_layer = _CAMLayer(bn_channels, out_channels, 3, dilation)

    def forward(self, x):
        return self.cam_layer(self.nonlinear2(self.linear1(self.nonlinear1(x))))


class _CAMDenseBlock(nn.ModuleList):
    def __init__(self, layers: int, in_channels: int, growth: int, bn_channels: int, dilation: int):
        super().__init__()
        for i in range(layers):
            self.add_module(f"tdnnd{i + 1}", _CAMDenseLayer(in_channels + i * growth, growth, bn_channels, dilation))

    def forward(self, x):
        for layer in self:
            x = torch.cat([x, layer(x)], dim=1)
        return x


class _Transit(nn.Module):
    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.nonlinear = _bn_relu(in_channels)
        self.linear = nn.Conv1d(in_channels, out_channels, 1, bias=False)

    def forward(self, x):
        return self.linear(self.nonlinear(x))


class _StatsPool(nn.Module):
    def forward(self, x):
        return torch.cat([x.mean(dim=-1), x.std(dim=-1)], dim=-1)


class _Dense(nn.Module):
    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.linear = nn.Conv1d(in_channels, out_channels, 1, bias=False)
        self.nonlinear = nn.Sequential(OrderedDict([("batchnorm", nn.BatchNorm1d(out_channels, affine=False))]))

    def forward(self, x):
        return self.nonlinear(self.linear(x.unsqueeze(-1)).squeeze(-1))


class CAMPPlus(nn.Module):
    """(B, T, 80) mean-normalized filterbank frames -> (B, 192) speaker embeddings."""

    def __init__(self, feat_dim: int = 80, embedding_size: int = 192, growth: int = 32, init_channels: int = 128):
        super().__init__()
        self.head = _FCM(feat_dim=feat_dim)
        self.xvector = nn.Sequential(OrderedDict([("tdnn", _TDNN(self.head.out_channels, init_channels, 5, stride=2))]))
        channels = init_channels
        for i, (layers, dilation) in enumerate(zip((12, 24, 16), (1, 2, 2))):
            self.xvector.add_module(f"block{i + 1}", _CAMDenseBlock(layers, channels, growth, 4 * growth, dilation))
            channels += layers * growth
            self.xvector.add_module(f"transit{i + 1}", _Transit(channels, channels // 2))
            channels //= 2
        self.xvector.add_module("out_nonlinear", _bn_relu(channels))
        self.xvector.add_module("stats", _StatsPool())
        self.xvector.add_module("dense", _Dense(channels * 2, embedding_size))

    def forward(self, x):
        return self.xvector(self.head(x.permute(0, 2, 1)))


class CamPlusEncoder(Model):
    """CAM++ as a pyannote embedding model, with the same surface as the GE2E encoder.

    Features are 3D-Speaker's: 80-band Kaldi filterbank, 25 ms windows, 10 ms hop, with
    the mean of each embedded stretch subtracted. With `weights` (pyannote's per-frame
    speaker masks) only the frames where the speaker is active are embedded.
    """

    PARTIAL_FRAMES = 160        # 1.6 s partials, as for GE2E: the pooling code is shared
    MIN_ACTIVE_FRAMES = 30
    BATCH = 16                  # partials per forward pass: larger batches ran slower per partial on 2 cores
    STRIDE = 4                  # embed one partial in four (see `partials`)

    def __init__(self, sample_rate: int = 16000, num_channels: int = 1):
        super().__init__(sample_rate=sample_rate, num_channels=num_channels)
        self.network = CAMPPlus()

    @classmethod
    def from_checkpoint(cls, path: Path) -> "CamPlusEncoder":
        encoder = cls()
        encoder.network.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
        return encoder.eval()

    @property
    def dimension(self) -> int:
        return 192

    @staticmethod
    def fbank(samples: torch.Tensor) -> torch.Tensor:
        """(T, 80) log filterbank frames every 10 ms."""
        return kaldi.fbank(samples[None], num_mel_bins=80, sample_frequency=16000, dither=0.0)

    def _embed(self, frames: torch.Tensor) -> torch.Tensor:
        """(B, T, 80) -> (B, 192) unit-norm embeddings, each window mean-normalized."""
        e = self.network(frames - frames.mean(dim=1, keepdim=True))
        return e / e.norm(dim=1, keepdim=True).clamp(min=1e-8)

    def forward(self, waveforms: torch.Tensor, weights: torch.Tensor | None = None) -> torch.Tensor:
        embeddings = torch.full((len(waveforms), self.dimension), float("nan"), device=waveforms.device)
        for b, waveform in enumerate(waveforms[:, 0]):
            if len(waveform) < 400:
                continue
            frames = self.fbank(waveform)
            if weights is not None:
                index = torch.arange(len(frames), device=weights.device) * weights.shape[1] // len(frames)
                frames = frames[weights[b, index.clamp(max=weights.shape[1] - 1)] > 0.5]
            if len(frames) >= self.MIN_ACTIVE_FRAMES:
                embeddings[b] = self._embed(frames[None])[0]
        return embeddings  # NaN: pyannote leaves such (chunk, speaker) pairs out of clustering

    def partials(self, samples: torch.Tensor, step: int,
                 progress: Callable[[int, int], None] | None = None) -> torch.Tensor:
        """Unit-norm embeddings of the 1.6 s partials starting every `step` frames of a whole recording.

        CAM++ embeds only one in STRIDE (the result's step is `step` x STRIDE; diarize.fuse
        repeats them to line up with GE2E's): embedding all of them took three times as long as GE2E's whole
        diarization, and on the development calls one in two and one in four gave the same
        DER, no worse than all (`tools/split_sweep.py` with the fused encoder clustering:
        mean 3.0 against 3.6 %). Running the frame-level layers once over longer blocks and
        pooling each partial's stretch of them was faster still, but lost there (4.0 %).
        """
        hop, length = 160, self.PARTIAL_FRAMES
        total = len(samples) // hop + 1     # counted as the GE2E encoder does, so fused partials line up
        count = len(range(0, max(1, total - length + 1), step))
        starts = torch.arange(0, count, self.STRIDE) * step
        out = []
        for first in range(0, len(starts), self.BATCH):
            batch = starts[first: first + self.BATCH]
            # The filterbank of this batch's stretch only: of a whole hour at once, its
            # intermediate arrays took 2 GB.
            lo, hi = int(batch[0]), int(batch[-1]) + length
            piece = samples[lo * hop: (hi - 1) * hop + 400]
            frames = self.fbank(piece) if len(piece) >= 400 else torch.zeros(1, 80)
            windows = (batch[:, None] - lo + torch.arange(length)).clamp(max=len(frames) - 1)
            out.append(self._embed(frames[windows]))
            if progress is not None:
                progress(min(count, (first + len(batch)) * self.STRIDE), count)
        return torch.cat(out)
