#!/usr/bin/env python3
"""Tune the offline diarization hyper-parameters on the development split, with pyannote.pipeline.

pyannote's own Optimizer (Optuna's TPE sampler, fixed seed) searches the clustering
threshold, the minimum cluster size and the shortest pause kept inside a turn, to
minimize the diarization error rate (no collar, overlap scored) over every recording in
samples/generated/dev/ that has an RTTM. The segmentation threshold is searched on a
grid around the optimizer instead: for each value, segmentation and embeddings are
computed once per recording and reused by every trial. The held-out split is never
read. Prints the best values as the keys of configs/default.yaml, with each development
recording's DER before and after.

Usage: python tools/tune.py [--iterations 60] [--segmentation-thresholds 0.5,0.6,0.7]
                              [--dev samples/generated/dev] [--config FILE]
"""
from __future__ import annotations

import argparse
import logging
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent.parent / "samples"
# Euclidean distances between unit-norm embeddings: CAM++ spreads voices farther apart than GE2E.
CLUSTERING_RANGE = {"ge2e": (0.35, 0.7), "campplus": (0.5, 1.3), "ge2e+campplus": (0.4, 1.0)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=60)
    parser.add_argument("--segmentation-thresholds", default="0.5,0.55,0.6,0.65,0.7,0.75,0.8",
                        help="comma-separated grid; the optimizer runs once for each")
    parser.add_argument("--dev", type=Path, default=HERE / "generated" / "dev")
    parser.add_argument("--config", default=None, help="a callscribe YAML settings file, as `callscribe --config`")
    args = parser.parse_args()

    from pyannote.metrics.diarization import GreedyDiarizationErrorRate
    from pyannote.pipeline import Optimizer
    from pyannote.pipeline.parameter import Uniform, Integer

    from pipeline.audio import SAMPLE_RATE, decode
    from pipeline.config import load_settings
    from pipeline.diarization.diarize import Diarizer
    from pipeline.evaluation.metrics import _annotation, load_rttm

    logging.getLogger("optuna").setLevel(logging.WARNING)
    settings = load_settings(args.config)
    diarization = Diarizer(settings.diarization, settings.models_path).pipeline
    files = [{"uri": rttm.stem, "annotation": _annotation(load_rttm(rttm)),
              "waveform": torch.from_numpy(decode(rttm.with_suffix(".wav")).samples.copy())[None],
              "sample_rate": SAMPLE_RATE}
             for rttm in sorted(args.dev.glob("*.rttm"))]
    if not files:
        raise SystemExit(f"no recordings with an RTTM in {args.dev} (run `make samples`)")

    def der(file: dict, output) -> float:
        return GreedyDiarizationErrorRate(collar=0.0, skip_overlap=False)(file["annotation"], output.speaker_diarization)

    def not_implemented():
        raise NotImplementedError

    # pyannote 4's Optimizer scores a pipeline's metric against the whole DiarizeOutput, which
    # fails; without a metric it calls `loss(file, output)` instead, so give it that.
    diarization.get_metric = not_implemented
    diarization.loss = der

    def per_file_der() -> dict[str, float]:
        return {f["uri"]: der(f, diarization(f)) for f in files}

    s = settings.diarization
    before = per_file_der()
    current = {"segmentation": {"min_duration_off": s.min_duration_off},
               "clustering": {"threshold": s.clustering_threshold, "min_cluster_size": s.min_cluster_size}}
    best = None  # (mean DER, segmentation threshold, the optimizer's parameters)
    for threshold in (float(t) for t in args.segmentation_thresholds.split(",")):
        # Search ranges around what the speaker encoder's embeddings allow; the rest stays as configured.
        diarization.clustering.threshold = Uniform(*CLUSTERING_RANGE[s.speaker_encoder])
        diarization.clustering.min_cluster_size = Integer(2, 20)
        diarization.segmentation.min_duration_off = Uniform(0.0, 1.0)
        diarization.freeze({"segmentation": {"threshold": threshold},
                            "clustering": {"method": s.clustering_method}})
        result = Optimizer(diarization, seed=0).tune(files, n_iterations=args.iterations, warm_start=current,
                                                     show_progress=False)
        print(f"segmentation threshold {threshold:.2f}: best mean DER {result['loss']:.3f}", flush=True)
        if best is None or result["loss"] < best[0]:
            best = (result["loss"], threshold, result["params"])
    loss, threshold, params = best
    params["segmentation"]["threshold"] = threshold
    diarization.instantiate(params)
    after = per_file_der()

    print(f"best mean DER over {len(files)} development recordings: {loss:.3f}")
    print("diarization:  # paste into configs/default.yaml")
    print(f"  segmentation_threshold: {threshold:.2f}")
    print(f"  clustering_threshold: {params['clustering']['threshold']:.3f}")
    print(f"  min_cluster_size: {params['clustering']['min_cluster_size']}")
    print(f"  min_duration_off: {params['segmentation']['min_duration_off']:.3f}")
    print("| recording | DER now | DER tuned |\n| --- | --- | --- |")
    for uri in before:
        print(f"| {uri} | {100 * before[uri]:.1f} % | {100 * after[uri]:.1f} % |")


if __name__ == "__main__":
    main()
