#!/usr/bin/env python3
"""Runs every fimcheck command that README.md shows and checks what the README says it prints.

Usage: readme.py FIMCHECK [--readme FILE] [--self-test]

The README convention (also stated in README.md, "Testing"):
- Commands are read from fenced blocks without a language tag (``` alone); ```json, ```python
  and other tagged blocks are examples of files, not commands.
- In such a block a line "build/fimcheck ARGS" or "$ build/fimcheck ARGS" is a command;
  "build/fimcheck" stands for the binary under test. So are "mpirun -np K build/fimcheck ARGS"
  (run with --oversubscribe, and --allow-run-as-root as root) and "python3 python/SCRIPT ARGS"
  (a shipped example, run with Debian's /usr/bin/python3). A trailing "# comment" is not part of it.
- Its expected exit code is 0 unless the README says otherwise next to it: "exit N" in its
  comment, "(exit N)" at the end of the command or of one of its output lines, or the number
  shown under a following "$ echo $?".
- After a "$ " command, the lines up to the next "$ " line are output the command must print
  (stdout or stderr), in that order; "..." in a shown line stands for any text, and the
  "(exit N)" note is not part of the line.
- A command whose comment says "not run by the README test" is skipped (the README must say
  why, next to it; only for runs of minutes).
- "scripts/demo" and "scripts/test" are not run here: they are the two top commands, run by CI
  itself (scripts/test runs this test). build/bench/fimcheck_bench is not run either: its
  output is timings, which no test may assert on. Any other "$ " line is an error, so that a new
  kind of command cannot be added to the README untested.
Commands run in order in one fresh temporary folder, in which the source tree's top-level entries
(but not build/) are linked, so that shipped example files are found by their README paths and
whatever a command writes stays in the temporary folder.

scripts/readme-outputs imports parse, split_comment, argv and prepare_folder from here, to record
the same commands in the same kind of folder.

--self-test checks the checker itself on a small made-up README: a wrong exit code, a wrong
output line and an unknown command must each be reported as failures, and correct ones not.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

SKIP_MARK = "not run by the README test"
# Besides build/fimcheck itself: fimcheck under mpirun, and the shipped Python examples (python/).
OTHER_COMMAND = re.compile(r"(mpirun -np \d+ build/fimcheck |python3 python/)")
NOT_RUN = ("scripts/demo", "scripts/test", "build/bench/fimcheck_bench")
TIMEOUT = 900  # seconds; a guard against a hang, not an assertion on time


class Command:
    def __init__(self, line_no, text, comment):
        self.line_no, self.text, self.comment = line_no, text, comment
        self.exit = 0
        self.output = []  # shown lines the command must print, in order
        self.skip = SKIP_MARK in comment
        m = re.search(r"\bexit (\d+)", comment)
        if m:
            self.exit = int(m.group(1))


def split_comment(line):
    """(command, comment) of a shell line: the comment starts at a '#' outside quotes."""
    quote = None
    for k, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (k == 0 or line[k - 1].isspace()):
            return line[:k].rstrip(), line[k + 1:].strip()
    return line.rstrip(), ""


EXIT_NOTE = re.compile(r"\s*\(exit (\d+)\)\s*$")


def parse(readme_text):
    """The commands of the README, in order, and a list of errors in its convention."""
    commands, errors = [], []
    in_block, tagged = False, False
    last = None      # the last command of a "$ " block, which output lines belong to
    want_exit = False
    for no, raw in enumerate(readme_text.splitlines(), 1):
        line = raw.rstrip()
        if line.lstrip().startswith("```"):
            if not in_block:
                in_block, tagged = True, line.strip() != "```"
            else:
                in_block = False
            last, want_exit = None, False
            continue
        if not in_block or tagged or not line.strip():
            continue
        prompt = line.startswith("$ ")
        body = line[2:] if prompt else line
        if want_exit:  # the line under "$ echo $?"
            want_exit = False
            if re.fullmatch(r"\d+", line.strip()) and last is not None:
                last.exit = int(line.strip())
            else:
                errors.append(f"README.md:{no}: expected the exit code under 'echo $?', got '{line}'")
            continue
        if prompt and body.strip() == "echo $?":
            if last is None:
                errors.append(f"README.md:{no}: 'echo $?' without a command before it")
            want_exit = True
            continue
        if body.startswith("build/fimcheck ") or body == "build/fimcheck" or OTHER_COMMAND.match(body):
            text, comment = split_comment(body)
            m = EXIT_NOTE.search(text)
            cmd = Command(no, EXIT_NOTE.sub("", text), comment)
            if m:
                cmd.exit = int(m.group(1))
            commands.append(cmd)
            last = cmd if prompt else None
            continue
        if body.startswith(NOT_RUN):  # not run; the lines it shows are not checked either
            last = Command(no, body, "")
            continue
        if prompt:
            errors.append(f"README.md:{no}: a command this test cannot run: '{line}'")
            last = None
            continue
        if last is not None:  # output shown for the last "$ " command
            m = EXIT_NOTE.search(line)
            if m:
                last.exit = int(m.group(1))
            shown = EXIT_NOTE.sub("", line).strip()
            if shown:
                last.output.append((no, shown))
            continue
        errors.append(f"README.md:{no}: a line in a command block that is neither a command nor output: '{line}'")
    return commands, errors


def line_matches(shown, actual):
    """True when the shown line's pieces between '...' occur in order in the actual line."""
    pos = 0
    for piece in (p.strip() for p in shown.split("...")):
        if not piece:
            continue
        k = actual.find(piece, pos)
        if k < 0:
            return False
        pos = k + len(piece)
    return True


def check_output(cmd, text):
    """Messages for the shown lines that the command's output lacks (in order)."""
    lines = [l.strip() for l in text.splitlines()]
    out, at = [], 0
    for no, shown in cmd.output:
        k = next((i for i in range(at, len(lines)) if line_matches(shown, lines[i])), None)
        if k is None:
            out.append(f"README.md:{no}: output line not printed (in this order): {shown}")
        else:
            at = k + 1
    return out


def argv(text, fim):
    """The argument list of a README command line: "build/fimcheck" replaced by the binary fim;
    "python3" by Debian's /usr/bin/python3 (numpy, torch); "mpirun" by its path, allowed to run
    as root (CI runs as root) and to start more ranks than there are cores."""
    args = shlex.split(text)
    if args[0] == "python3":
        return ["/usr/bin/python3"] + args[1:]
    if args[0] == "mpirun":
        at = args.index("build/fimcheck")
        extra = ["--allow-run-as-root"] if os.geteuid() == 0 else []
        return [shutil.which("mpirun") or "mpirun"] + extra + ["--oversubscribe"] + args[1:at] + [fim] + args[at + 1:]
    args[0] = fim
    return args


def prepare_folder(source_dir):
    """A fresh temporary folder with the source tree's top-level entries linked (not build/)."""
    tmp = tempfile.mkdtemp(prefix="fimcheck-readme-")
    for name in os.listdir(source_dir):
        if name in ("build", ".git") or name.startswith("."):
            continue
        os.symlink(os.path.join(source_dir, name), os.path.join(tmp, name))
    return tmp


def run(fim, readme_path, source_dir, verbose=True):
    """Runs every command; returns the number of failures (errors of convention included)."""
    commands, errors = parse(open(readme_path, encoding="utf-8").read())
    failures = 0
    for e in errors:
        print(f"  FAIL {e}")
        failures += 1
    if not commands:
        print("  FAIL no command found in the README")
        return failures + 1
    tmp = prepare_folder(source_dir)
    try:
        for cmd in commands:
            name = f"README.md:{cmd.line_no}: {cmd.text}"
            if cmd.skip:
                print(f"  skip {name} ({SKIP_MARK})")
                continue
            try:
                p = subprocess.run(argv(cmd.text, fim), cwd=tmp, capture_output=True, text=True, timeout=TIMEOUT,
                                   env=dict(os.environ, FIMCHECK=fim))  # python/ examples call fimcheck
                code, text = p.returncode, p.stdout + p.stderr
            except subprocess.TimeoutExpired:
                code, text = None, ""
            problems = []
            if code != cmd.exit:
                problems.append(f"exit {code}, the README says {cmd.exit}")
            problems += check_output(cmd, text)
            if problems:
                failures += 1
                print(f"  FAIL {name}")
                for m in problems:
                    print(f"       {m}")
                if verbose:
                    print("       printed:\n" + "\n".join("         | " + l for l in text.splitlines()[:40]))
            else:
                print(f"  ok   {name} (exit {code})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return failures


SELF_TEST = """\
Text.

```
$ build/fimcheck --version
fimcheck ...
$ build/fimcheck --version
fimcheck 99.99-not-this-version
$ build/fimcheck lamda
$ echo $?
0
$ build/fimcheck lamda
...unknown command 'lamda'; did you mean 'lambda'?...          (exit 2)
build/fimcheck lamda       # exit 2: an unknown command
build/fimcheck lamda       # this comment gives no exit code, so 0 is expected
$ rm -rf everything
```

```json
{"not": "a command"}
```
"""


def self_test(fim):
    """The checker reports exactly the made-up README's four wrong lines."""
    src = tempfile.mkdtemp(prefix="fimcheck-readme-self-")
    try:
        path = os.path.join(src, "README.md")
        with open(path, "w") as f:
            f.write(SELF_TEST)
        commands, errors = parse(SELF_TEST)
        assert [c.exit for c in commands] == [0, 0, 0, 2, 2, 0], [c.exit for c in commands]
        assert len(errors) == 1 and "rm -rf" in errors[0], errors
        assert line_matches("a ... c", "a b c") and not line_matches("a ... c", "c b a")
        print("self-test: the made-up README must give 4 failures (wrong version, exit 2 not 0 twice, rm):")
        failures = run(fim, path, src, verbose=False)
    finally:
        shutil.rmtree(src, ignore_errors=True)
    ok = failures == 4
    print(f"self-test: {failures} failures, {'as expected' if ok else 'expected 4'}")
    return ok


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit("usage: readme.py FIMCHECK [--readme FILE] [--self-test]")
    fim = os.path.abspath(args[0])
    here = os.path.dirname(os.path.abspath(__file__))
    source_dir = os.path.normpath(os.path.join(here, "..", ".."))
    readme = os.path.join(source_dir, "README.md")
    if "--readme" in args:
        readme = os.path.abspath(args[args.index("--readme") + 1])
    if "--self-test" in args:
        sys.exit(0 if self_test(fim) else 1)
    failures = run(fim, readme, source_dir)
    print(f"{failures} README command(s) failed" if failures else "every README command ran as shown")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
