#!/usr/bin/env python3
"""svg_labels.py FILE...: exit 1 if two text labels of an SVG plot overlap or one leaves the canvas.

Label boxes are estimated as src/report/svg.cpp lays them out: 0.6 em per character, from
0.8 em above the baseline to 0.2 em below it, placed by text-anchor, and turned by a
"translate(x,y) rotate(-90)" transform."""
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def boxes(path):
    root = ET.parse(path).getroot()
    W, H = float(root.get("width")), float(root.get("height"))
    base = float(root.get("font-size", 12))
    out = []
    for t in root.iter(NS + "text"):
        text = "".join(t.itertext())
        fs = float(t.get("font-size", base))
        w = 0.6 * fs * len(text)
        anchor = t.get("text-anchor", "start")
        shift = {"start": 0, "middle": -w / 2, "end": -w}[anchor]
        m = re.match(r"translate\(([-\d.e]+),([-\d.e]+)\) rotate\(-90\)", t.get("transform", ""))
        if m:  # rotated: the text runs upward from (x, y)
            x, y = float(m.group(1)), float(m.group(2))
            out.append((text, x - 0.8 * fs, y - shift - w, x + 0.2 * fs, y - shift))
        else:
            x, y = float(t.get("x")), float(t.get("y"))
            out.append((text, x + shift, y - 0.8 * fs, x + shift + w, y + 0.2 * fs))
    return W, H, out


def problems(path):
    W, H, bs = boxes(path)
    found = []
    for i, (a, ax0, ay0, ax1, ay1) in enumerate(bs):
        if ax0 < 0 or ay0 < 0 or ax1 > W or ay1 > H:
            found.append(f"{path}: '{a}' leaves the {W:g} x {H:g} canvas")
        for b, bx0, by0, bx1, by1 in bs[i + 1:]:
            if ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1:
                found.append(f"{path}: '{a}' overlaps '{b}'")
    return found


if __name__ == "__main__":
    found = [p for f in sys.argv[1:] for p in problems(f)]
    for p in found:
        print(p)
    sys.exit(1 if found else 0)
