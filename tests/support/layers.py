#!/usr/bin/env python3
"""Checks src/'s include graph against the layers src/CMakeLists.txt declares.

Usage: layers.py [SRC_DIR]   (default: the src/ beside this tests/ folder)

src/CMakeLists.txt declares each layer as `fim_layer(NAME DEP...)` and the command line's as
`set(FIM_CLI_DEPS DEP...)`; src/verify declares none (tests/cli/verify_independent.sh checks it
includes nothing of fimcheck). This check fails, naming the file and line, when
- a folder of src/ is not a declared layer, or a layer names an undeclared one;
- the declared graph has a cycle (a folder would include a header of one that depends on it);
- a file of src/F includes "G/..." with G neither F nor a declared dependency of F;
- an included "G/x.hpp" does not exist.
"""
import os
import re
import sys

LAYER = re.compile(r"^\s*fim_layer\((\w+)((?:\s+\w+)*)\s*\)", re.M)
CLI = re.compile(r"^\s*set\(FIM_CLI_DEPS((?:\s+\w+)*)\s*\)", re.M)
INCLUDE = re.compile(r'^\s*#\s*include\s*"([A-Za-z0-9_]+)/([^"]+)"', re.M)


def declared(cmake_text):
    """{layer: set of declared dependencies}, from fim_layer(...) and FIM_CLI_DEPS."""
    text = re.sub(r"#.*", "", cmake_text)
    graph = {m.group(1): set(m.group(2).split()) for m in LAYER.finditer(text)}
    m = CLI.search(text)
    if m:
        graph["cli"] = set(m.group(1).split())
    graph.setdefault("verify", set())
    return graph


def cycle(graph):
    """One cycle of the graph as a list of layers, or None."""
    state = {}

    def visit(n, path):
        state[n] = 1
        for d in sorted(graph.get(n, ())):
            if state.get(d) == 1:
                return path[path.index(d):] + [d] if d in path else [n, d]
            if d not in state:
                c = visit(d, path + [d])
                if c:
                    return c
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            c = visit(n, [n])
            if c:
                return c
    return None


def problems(src):
    """Every violation under src, one line each."""
    out = []
    graph = declared(open(os.path.join(src, "CMakeLists.txt")).read())
    folders = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
    for f in folders:
        if f not in graph:
            out.append(f"src/{f}: a folder that src/CMakeLists.txt does not declare as a layer")
    for layer, deps in sorted(graph.items()):
        for d in sorted(deps - set(graph)):
            out.append(f"src/CMakeLists.txt: layer {layer} depends on {d}, which is not a layer")
    c = cycle(graph)
    if c:
        out.append("src/CMakeLists.txt: the declared layers have a cycle: " + " -> ".join(c))
    for f in folders:
        for name in sorted(os.listdir(os.path.join(src, f))):
            path = os.path.join(src, f, name)
            if not name.endswith((".hpp", ".cpp", ".h")):
                continue
            text = open(path, encoding="utf-8", errors="replace").read()
            for m in INCLUDE.finditer(text):
                g, rest = m.group(1), m.group(2)
                line = text.count("\n", 0, m.start()) + 1
                where = f"src/{f}/{name}:{line}"
                if not os.path.isfile(os.path.join(src, g, rest)):
                    if os.path.isdir(os.path.join(src, g)):
                        out.append(f'{where}: #include "{g}/{rest}" names no file')
                    continue  # not a header of src/ (e.g. <...>-style paths given in quotes)
                if g != f and g not in graph.get(f, set()):
                    out.append(f'{where}: #include "{g}/{rest}": layer {f} does not declare {g}'
                               f" (declared: {' '.join(sorted(graph.get(f, ()))) or 'none'})")
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "src")
    bad = problems(src)
    for b in bad:
        print("  " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
