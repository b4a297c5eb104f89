"""Whisper's log-Mel features, computed a block of frames at a time.

faster-whisper's FeatureExtractor takes the short-time Fourier transform of the whole
audio it is given at once: for a 10-minute window (asr.window_minutes) its intermediate
arrays peak at about 420 MB, the largest single allocation of a run on CPU. The frames
are independent of one another, so the same spectrogram can be made a few thousand frames
at a time (about 60 MB for the same window, and faster). Only the final clamp (8 below the
loudest value) needs the whole window, and it is applied at the end as faster-whisper does.
The result matches faster-whisper's to within one float32 ulp (tests/test_features.py).
"""
from __future__ import annotations

import numpy as np
from faster_whisper.feature_extractor import FeatureExtractor


class BlockwiseFeatureExtractor(FeatureExtractor):
    """faster-whisper's FeatureExtractor with the spectrogram made BLOCK_FRAMES frames at a time."""

    BLOCK_FRAMES = 3000   # 30 s of 10 ms frames: about 15 MB of intermediate arrays per block

    def __call__(self, waveform: np.ndarray, padding: int = 160, chunk_length: int | None = None) -> np.ndarray:
        if chunk_length is not None:   # as faster-whisper's: the batched pipeline sets it
            self.n_samples = chunk_length * self.sampling_rate
            self.nb_max_frames = self.n_samples // self.hop_length
        waveform = np.asarray(waveform, dtype=np.float32)
        if padding:
            waveform = np.pad(waveform, (0, padding))
        half = self.n_fft // 2
        padded = np.pad(waveform, (half, half), mode="reflect")     # torch.stft's center=True
        count = (len(padded) - self.n_fft) // self.hop_length   # frames, less the last one, as faster-whisper drops it
        frames = np.lib.stride_tricks.sliding_window_view(padded, self.n_fft)[:: self.hop_length]
        window = np.hanning(self.n_fft + 1)[:-1].astype(np.float32)
        mel = np.empty((len(self.mel_filters), count), np.float32)
        for first in range(0, count, self.BLOCK_FRAMES):
            last = min(first + self.BLOCK_FRAMES, count)
            spectrum = np.fft.rfft(frames[first:last] * window, axis=-1).astype(np.complex64)
            mel[:, first:last] = self.mel_filters @ (np.abs(spectrum) ** 2).T
        np.log10(np.clip(mel, 1e-10, None), out=mel)
        np.maximum(mel, mel.max() - 8.0, out=mel)
        return (mel + 4.0) / 4.0
