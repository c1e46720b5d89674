#!/usr/bin/env python3
"""Joins ConvBench's runs (one per build of the natives) into one JSON file and prints a markdown table.

Usage: report.py RUN.json [RUN.json ...] OUT.json > OUT.md
"""
import json
import sys

runs = [json.load(open(path)) for path in sys.argv[1:-1]]
json.dump(runs, open(sys.argv[-1], "w"), indent=2)

first = runs[0]
print(f"{first['cores']} cores ({first['cpu']}), Java {first['java']}; reference CNN "
      f"(`{first['space'].split('/')[-1]}`), {first['training_batches']} training minibatches of "
      f"{first['batch_size']} Fashion-MNIST images.")
print()
print("| natives | convolution path | ND4J threads | training images/s | inference images/s |")
print("| --- | --- | --- | --- | --- |")
for run in runs:
    for path in run["paths"]:
        print(f"| {run['natives']} | {path['path']} | {path['nd4j_threads']} | {path['training_images_per_second']:,.1f} "
              f"| {path['inference_images_per_second']:,.1f} |")
print()
for run in runs:
    print(f"- {run['natives']} natives, 1 thread: the conv2d op trains {run['training_speedup']:.1f}x and infers "
          f"{run['inference_speedup']:.1f}x as fast as DL4J's im2col path; the two paths' gradients differ by "
          f"{run['gradient_relative_difference']:.1e} of the gradient's norm.")
